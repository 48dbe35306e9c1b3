using System.Diagnostics;
using System.Net;
using Platform.Benchmarks;

// A bounded load run on loopback. Each figure is requests per second from a fixed number of
// concurrent clients, the median of several rounds, set against a baseline measured in the same
// rounds (a plain endpoint on the same server returning the same bytes), because this machine is
// shared and noisy. Both gateways run side by side and the rounds interleave, so that neither
// setting profits from running later (run one after the other, the first host measured up to three
// times lower whichever setting it had).
var options = LoadOptions.Parse(args);
if (args.Contains("votes"))
{
    await VoteStormBenchmark.RunAsync(options);
    return;
}
if (args.Contains("lists"))
{
    var at = Array.IndexOf(args, "--rows");
    await ComplaintListBenchmark.RunAsync(options, at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var rows) ? Math.Clamp(rows, 100, 1_000_000) : 100_000);
    return;
}
if (args.Contains("complaints"))
{
    await ComplaintFilingBenchmark.RunAsync(options);
    return;
}
Console.WriteLine($"GraphQL gateway load run: {options.Concurrency} clients, {options.Rounds} rounds of {options.RoundSeconds} s per figure, {Environment.ProcessorCount} cores");

await using var withCache = await GatewayHost.StartAsync(documentCache: true);
await using var withoutCache = await GatewayHost.StartAsync(documentCache: false);
var measures = new (string Name, Func<HttpRequestMessage> Request)[]
{
    ("baseline: same bytes, plain endpoint", withCache.BaselineRequest()),
    ("tariff query, document cache on", withCache.GraphQLRequest(GatewayHost.TariffQuery)),
    ("tariff query, document cache off", withoutCache.GraphQLRequest(GatewayHost.TariffQuery)),
};

foreach (var (_, request) in measures) await LoadRun.WarmUpAsync(request, options);
var rates = measures.Select(_ => new List<double>()).ToArray();
for (var round = 0; round < options.Rounds; round++)
{
    for (var i = 0; i < measures.Length; i++) rates[i].Add(await LoadRun.RoundAsync(measures[i].Request, options));
}
var medians = rates.Select(r => r.Order().ElementAt(r.Count / 2)).ToArray();

Console.WriteLine();
Console.WriteLine($"{"measure",-38} {"req/s (median)",15} {"of baseline",12}");
for (var i = 0; i < measures.Length; i++)
{
    Console.WriteLine($"{measures[i].Name,-38} {medians[i],15:N0} {medians[i] / medians[0],12:P0}");
}
Console.WriteLine();
Console.WriteLine($"document cache speed-up: {medians[1] / medians[2]:F2}x");

namespace Platform.Benchmarks
{
    public sealed record LoadOptions(int Concurrency, int Rounds, int RoundSeconds)
    {
        public static LoadOptions Parse(string[] args)
        {
            int Get(string name, int fallback)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? Math.Clamp(v, 1, 60) : fallback;
            }
            return new(Get("--concurrency", 8), Get("--rounds", 5), Get("--seconds", 3));
        }
    }

    public static class LoadRun
    {
        private static readonly HttpClient Client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });

        /// <summary>Load long enough for tiered JIT to reach its optimised code; not measured.</summary>
        public static Task WarmUpAsync(Func<HttpRequestMessage> request, LoadOptions options) =>
            RoundAsync(request, options with { RoundSeconds = 3 });

        /// <summary>Requests per second of one round; every response must be 200 or the run stops.</summary>
        public static async Task<double> RoundAsync(Func<HttpRequestMessage> request, LoadOptions options)
        {
            var count = 0L;
            var clock = Stopwatch.StartNew();
            var until = TimeSpan.FromSeconds(options.RoundSeconds);
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
            {
                while (clock.Elapsed < until)
                {
                    await SendAsync(request);
                    Interlocked.Increment(ref count);
                }
            }));
            return count / clock.Elapsed.TotalSeconds;
        }

        private static async Task SendAsync(Func<HttpRequestMessage> request)
        {
            using var response = await Client.SendAsync(request());
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            await response.Content.CopyToAsync(Stream.Null);
        }
    }
}
