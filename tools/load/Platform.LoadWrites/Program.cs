using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Platform.Tests.Shared;

// The write side of the load harness. One scenario per run, for a fixed time, with a fixed number of callers that each
// send one request at a time (a closed loop, as wrk does):
//   complaints  residents filing complaints through GraphQL (fileComplaint, each with its own idempotency key)
//   votes       a board member changing the municipality's vote on the demo proposal back and forth (castVote)
//   blobs       the baseline: new blocks of the size of a complaint's stored state written straight to the storage account
//   token       prints an access token of --user (for wrk runs that read as that person)
// Prints one line: scenario, acknowledged operations per second, p50 and p99 in milliseconds, errors.
var options = Options.Parse(args);
if (options.Scenario == "token")
{
    // For the scale harness's wrk runs: a person's access token, signed in as a browser would.
    Console.WriteLine(await new TokenClient(options.Identity).UserAccessTokenAsync(options.User));
    return;
}
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds));
var latencies = new List<double>[options.Callers];
var errors = 0;
Func<int, CancellationToken, Task<bool>> operation = options.Scenario switch
{
    "blobs" => await BlobsAsync(options),
    "complaints" => await ComplaintsAsync(options),
    "votes" => await VotesAsync(options),
    _ => throw new ArgumentException($"unknown scenario {options.Scenario}: complaints, votes or blobs"),
};
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, options.Callers).Select(caller => Task.Run(async () =>
{
    var mine = latencies[caller] = [];
    var sequence = 0;
    while (!stop.IsCancellationRequested)
    {
        var started = Stopwatch.GetTimestamp();
        bool ok;
        try
        {
            ok = await operation(caller * 1_000_000 + sequence++, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Azure.RequestFailedException)
        {
            ok = false;
        }
        if (ok) mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        else Interlocked.Increment(ref errors);
    }
})));
var elapsed = clock.Elapsed.TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToArray();
double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Scenario} {all.Length / elapsed:0.0} {Percentile(0.5):0.00} {Percentile(0.99):0.00} {errors}"));

static async Task<Func<int, CancellationToken, Task<bool>>> BlobsAsync(Options options)
{
    var container = new BlobServiceClient(options.Storage).GetBlobContainerClient("load-baseline");
    await container.CreateIfNotExistsAsync();
    var run = Guid.NewGuid().ToString("N")[..8];
    var content = BinaryData.FromBytes(new byte[options.BlobBytes]);
    return async (n, cancellationToken) =>
    {
        await container.GetBlobClient($"{run}/{n}").UploadAsync(content, overwrite: true, cancellationToken);
        return true;
    };
}

static async Task<Func<int, CancellationToken, Task<bool>>> ComplaintsAsync(Options options)
{
    var token = await new TokenClient(options.Identity).UserAccessTokenAsync("citizen@demo.test");
    var http = Client(options, token);
    const string file = "mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } userErrors { code } } }";
    return async (_, cancellationToken) =>
    {
        var key = Guid.NewGuid().ToString("N");
        var input = new JsonObject
        {
            ["clientMutationId"] = key, ["arrangementId"] = "afval-nhn", ["serviceCode"] = "bouwpuin",
            ["description"] = $"Bouwpuin naast de container, melding {key[..8]}",
            ["location"] = new JsonObject { ["address"] = "Grote Oost 1, Hoorn" },
        };
        var answer = await PostAsync(http, file, new JsonObject { ["input"] = input }, key, cancellationToken);
        return answer?["data"]?["fileComplaint"]?["complaint"]?["key"] is not null;
    };
}

static async Task<Func<int, CancellationToken, Task<bool>>> VotesAsync(Options options)
{
    var token = await new TokenClient(options.Identity).UserAccessTokenAsync("board@demo.test");
    var http = Client(options, token);
    const string vote = "mutation($input: CastVoteInput!) { castVote(input: $input) { proposal { key } userErrors { code } } }";
    return async (n, cancellationToken) =>
    {
        var key = Guid.NewGuid().ToString("N");
        var input = new JsonObject { ["clientMutationId"] = key, ["proposalId"] = options.Proposal, ["choice"] = n % 2 == 0 ? "YES" : "NO" };
        var answer = await PostAsync(http, vote, new JsonObject { ["input"] = input }, key, cancellationToken);
        return answer?["data"]?["castVote"]?["proposal"]?["key"] is not null;
    };
}

static HttpClient Client(Options options, string token)
{
    var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Callers }) { BaseAddress = options.Gateway, Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Authorization = new("Bearer", token);
    return http;
}

static async Task<JsonNode?> PostAsync(HttpClient http, string query, JsonObject variables, string idempotencyKey, CancellationToken cancellationToken)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = JsonContent.Create(new JsonObject { ["query"] = query, ["variables"] = variables }) };
    request.Headers.Add("Idempotency-Key", idempotencyKey);
    using var response = await http.SendAsync(request, cancellationToken);
    if (!response.IsSuccessStatusCode) return null;
    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    return body?["errors"] is null ? body : null;
}

internal sealed record Options(string Scenario, Uri Gateway, Uri Identity, string Storage, int Seconds, int Callers, int BlobBytes, string Proposal, string User)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var at = Array.IndexOf(args, "--" + name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }
        return new Options(
            Get("scenario", "complaints"),
            new Uri(Get("gateway", "http://127.0.0.1:5080").TrimEnd('/') + "/"),
            new Uri(Get("identity", "http://127.0.0.1:5081").TrimEnd('/') + "/"),
            Get("storage", "UseDevelopmentStorage=true"),
            int.Parse(Get("seconds", "15"), CultureInfo.InvariantCulture),
            int.Parse(Get("callers", "16"), CultureInfo.InvariantCulture),
            int.Parse(Get("blob-bytes", "2048"), CultureInfo.InvariantCulture),
            Get("proposal", "p-demo-bouwpuin"),
            Get("user", "executor@demo.test"));
    }
}
