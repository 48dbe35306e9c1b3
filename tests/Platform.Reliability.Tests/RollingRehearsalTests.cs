using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Platform.Reliability.Tests;

/// <summary>
/// The rehearsal of a deployment's rolling update, without a container engine: three silo processes and two
/// gateways (a round-robin balancer in the client in front of them), the identity server, Azurite and PostgreSQL on
/// 127.0.0.1. Under a mixed load (residents filing complaints and reading their list, a board member changing a
/// vote, anonymous tariff reads) the silos are rolled one at a time (SIGTERM, wait for the exit, start again, wait
/// until it has joined) and then the gateways, twice over. It reports the requests that failed (the goal: none),
/// the latency while rolling, and how many grains had to move; it asserts that every process left cleanly, every
/// write was answered in the end (sent again with its key) and nothing acknowledged was lost.
/// `tools/load/rehearsal.sh` runs it alone.
/// </summary>
[Collection(RollingRehearsalCollection.Name)]
public sealed class RollingRehearsalTests(ITestOutputHelper output)
{
    /// <summary>Longer than the 30 s an orchestrator waits: a gateway waits for its requests' grain calls, which time out after 30 s.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(45);
    private const string Tariffs = """{ arrangement(id: "afval-nhn") { name tariffs { service { code } amount unit } } }""";
    /// <summary>
    /// How long the load's apps think between requests, as a multiple of the usual pauses (150 ms for a resident filing,
    /// 100 ms for the board member's vote, 50 ms for a reader): <c>PLATFORM_REHEARSAL_THINK</c>, 1 unless set
    /// (<c>tools/load/rehearsal.sh --think 4</c>: 14–15 requests a second on 4 December, against 38 with the usual pauses).
    /// </summary>
    private static readonly double Think = double.TryParse(Environment.GetEnvironmentVariable("PLATFORM_REHEARSAL_THINK"),
        NumberStyles.Float, CultureInfo.InvariantCulture, out var think) && think is > 0 and <= 100 ? think : 1;
    private const string MyComplaints = "{ complaints(first: 10) { edges { node { key status } } } }";
    /// <summary>
    /// How long a process that is back (a silo in the cluster, a gateway ready) runs before the next one stops, as the
    /// manifests' <c>minReadySeconds</c> (10) make Kubernetes wait: its first seconds under load still compile code.
    /// <c>PLATFORM_REHEARSAL_SETTLE</c> (seconds, 0–120) sets another (<c>tools/load/rehearsal.sh --settle 0</c>).
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("PLATFORM_REHEARSAL_SETTLE"),
        NumberStyles.Integer, CultureInfo.InvariantCulture, out var settle) && settle is >= 0 and <= 120 ? settle : 10);

    /// <summary>
    /// How long the load runs before the first step: a deployment's processes have served for hours when it rolls, and
    /// here every process started moments before, so for the first minute their JIT still compiles under the load (its
    /// tiers fall behind on two shared cores). <c>PLATFORM_REHEARSAL_LEAD</c> (seconds, 5–600) sets another
    /// (<c>tools/load/rehearsal.sh --lead 12</c>: the 12 s of every run before da).
    /// </summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("PLATFORM_REHEARSAL_LEAD"),
        NumberStyles.Integer, CultureInfo.InvariantCulture, out var lead) && lead is >= 5 and <= 600 ? lead : 60);

    /// <summary>
    /// Azurite keeps its data in memory unless <c>PLATFORM_REHEARSAL_AZURITE=files</c> (<c>tools/load/rehearsal.sh
    /// --azurite-files</c>): on files it stops answering for up to a quarter of a second every 5 s once it holds some
    /// thousands of blobs (it writes its whole index again), which production's storage account does not do, and which
    /// made a tenth of the writes slow (see the README, runs ct–cw).
    /// </summary>
    private static readonly bool AzuriteOnFiles = Environment.GetEnvironmentVariable("PLATFORM_REHEARSAL_AZURITE") == "files";

    /// <summary>
    /// <c>PLATFORM_REHEARSAL_CPU</c>: <c>pods</c> puts each silo and gateway in a CPU group weighted by its pod's request and
    /// capped at its limit, as the kubelet does (see <see cref="CpuGroups"/>); <c>requests</c> the same without the caps;
    /// unset, every thread on the machine weighs the same (<c>tools/load/rehearsal.sh --cpu pods</c>; measured on
    /// 5 December, runs de–dg: the groups made the rolls slower here, so the default shares).
    /// </summary>
    private static readonly string? PodCpu = Environment.GetEnvironmentVariable("PLATFORM_REHEARSAL_CPU") is var mode && mode is "pods" or "requests" ? mode : null;

    [Fact]
    public async Task Two_rolls_of_three_silos_and_two_gateways_under_a_mixed_load_fail_no_request_and_lose_nothing()
    {
        // The gateways drain for 2 s on SIGTERM, as the manifests' 5 s do (the balancer here learns of a stopped gateway
        // only from a refused connection).
        var why = "the default; --cpu pods weighs each process as its pod";
        using var cpu = PodCpu is null ? null : CpuGroups.TryCreate(limits: PodCpu == "pods", out why);
        var cluster = new LocalCluster(silos: 3, demoData: true, gateways: 2, gatewayDrain: TimeSpan.FromSeconds(2), storageInMemory: !AzuriteOnFiles, cpu: cpu);
        IHost? orleans = null;
        try
        {
            await cluster.InitializeAsync();
            orleans = ManagementClient(cluster);
            await orleans.StartAsync();
            var management = orleans.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);

            var citizen = await cluster.Tokens.UserAccessTokenAsync("citizen@demo.test");
            var board = await cluster.Tokens.UserAccessTokenAsync("board@demo.test");
            using var api = new Api(cluster.GatewayUrls);
            // The silos seed the demo data after the gateways report ready; the load votes on its proposal.
            await cluster.WaitUntilAsync(async () =>
            {
                var body = await api.PostAsync("query($p: ID!) { proposal(id: $p) { phase } }", new { p = ChaosTests.ProposalId }, board, TimeSpan.FromSeconds(15));
                return body?["data"]?["proposal"]?["phase"]?.GetValue<string>() == "VOTING";
            }, TimeSpan.FromMinutes(2), "the demo data's proposal to be open for votes");
            var load = new Load(api, citizen, board, (await Reads.ProposalVotesAsync(api, board)).Choice, Think);
            using var stop = new CancellationTokenSource();
            var readFailures = 0;
            var reads = 0;
            async Task ReadLoopAsync(string query, string? token)
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var body = await api.PostAsync(query, null, token, TimeSpan.FromSeconds(15));
                        if (body is null || body["errors"] is not null)
                        {
                            Interlocked.Increment(ref readFailures);
                            load.Failures.Enqueue((DateTimeOffset.UtcNow, body is null ? "5xx" : body["errors"]![0]!["extensions"]?["code"]?.GetValue<string>() ?? body["errors"]![0]!["message"]!.GetValue<string>()));
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref readFailures);
                        load.Failures.Enqueue((DateTimeOffset.UtcNow, $"{e.GetType().Name}: {e.InnerException?.Message ?? e.Message}"));
                    }
                    Interlocked.Increment(ref reads);
                    await Task.Delay(load.Pause(50), CancellationToken.None);
                }
            }
            var running = Task.WhenAll(load.RunAsync(stop.Token), Task.Run(() => ReadLoopAsync(Tariffs, null)), Task.Run(() => ReadLoopAsync(MyComplaints, citizen)));
            await Task.Delay(Lead);

            var steps = new List<string>();
            var phases = new List<(string Name, DateTimeOffset From, DateTimeOffset Left, DateTimeOffset To)>();
            var exits = new List<(string Name, bool Exited, int? Code)>();
            var moved = 0;
            var rollStart = DateTimeOffset.UtcNow;
            var roll = Stopwatch.StartNew();
            for (var round = 1; round <= 2; round++)
            {
                for (var i = 0; i < cluster.Silos.Length; i++)
                {
                    var silo = cluster.Silos[i];
                    var held = await ActivationsAsync(management, cluster.SiloPorts[i]);
                    var from = DateTimeOffset.UtcNow;
                    moved += held;
                    var watch = Stopwatch.StartNew();
                    var exited = await silo.StopAsync(Grace);
                    exits.Add((silo.Name, exited, silo.ExitCode));
                    var left = watch.Elapsed;
                    var leftAt = DateTimeOffset.UtcNow;
                    // As a deployment's silos start (the manifests turn seeding off): the demo data is in place, and a
                    // new silo does not read it all again as it joins.
                    silo.Start(("Platform__Silo__SeedDemoData", "false"));
                    await cluster.WaitUntilAsync(async () => await management.GetHosts(onlyActive: true) is var hosts
                        && hosts.Count == cluster.Silos.Length && hosts.Keys.Any(s => s.Endpoint.Port == cluster.SiloPorts[i]),
                        TimeSpan.FromMinutes(2), $"{silo.Name} to join the cluster again");
                    phases.Add((silo.Name, from, leftAt, DateTimeOffset.UtcNow));
                    steps.Add($"{silo.Name}: {held} grains to move, left in {left.TotalSeconds:F1} s, back in the cluster after {watch.Elapsed.TotalSeconds:F1} s");
                    await Task.Delay(Settle);
                }
                for (var j = 0; j < cluster.Gateways.Length; j++)
                {
                    var gateway = cluster.Gateways[j];
                    var from = DateTimeOffset.UtcNow;
                    var watch = Stopwatch.StartNew();
                    var exited = await gateway.StopAsync(Grace);
                    exits.Add((gateway.Name, exited, gateway.ExitCode));
                    var left = watch.Elapsed;
                    var leftAt = DateTimeOffset.UtcNow;
                    gateway.Start();
                    await cluster.WaitUntilReadyAsync(j, TimeSpan.FromMinutes(1));
                    phases.Add((gateway.Name, from, leftAt, DateTimeOffset.UtcNow));
                    steps.Add($"{gateway.Name}: left in {left.TotalSeconds:F1} s, ready again after {watch.Elapsed.TotalSeconds:F1} s");
                    if (j < cluster.Gateways.Length - 1 || round < 2) await Task.Delay(Settle);
                }
            }
            var rollEnd = DateTimeOffset.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(3));
            stop.Cancel();
            await running;
            await load.FinishAsync(TimeSpan.FromSeconds(60));

            // Every filing acknowledged during the rolls is in the resident's list.
            var listed = await Reads.ListedComplaintIdsAsync(api, citizen);
            var lost = load.ComplaintIds.Count(id => !listed.Contains(id));
            var during = api.Requests.Where(r => r.Sent >= rollStart && r.Sent <= rollEnd && r.Answered).Select(r => r.Took.TotalMilliseconds).Order().ToArray();
            // The baseline in the same run: the last 7 s before the first stop, with every process warm.
            var before = api.Requests.Where(r => r.Sent >= rollStart.AddSeconds(-7) && r.Sent < rollStart && r.Answered).Select(r => r.Took.TotalMilliseconds).Order().ToArray();
            static double Of(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
            double Percentile(double p) => Of(during, p);
            // Where the slow requests are: while a process leaves, or while its successor starts and joins.
            IEnumerable<Api.Request> Answered(DateTimeOffset from, DateTimeOffset to) => api.Requests.Where(r => r.Sent >= from && r.Sent < to && r.Answered);
            static bool IsSlow(Api.Request r) => r.Took.TotalMilliseconds > 200;
            string Slow(DateTimeOffset from, DateTimeOffset to)
            {
                var sorted = Answered(from, to).Select(r => r.Took.TotalMilliseconds).Order().ToArray();
                return string.Create(CultureInfo.InvariantCulture, $"p99 {Of(sorted, 0.99):F0} ms, {sorted.Count(d => d > 200)} of {sorted.Length} over 200 ms");
            }
            // A step's settling ends where the next step begins (the last one's where the rolls end).
            DateTimeOffset SettledAt(int k) => k + 1 < phases.Count ? phases[k + 1].From : rollEnd;
            // The three stretches of every step: a process leaving, its successor starting, and the settling after it is
            // back (its first seconds under load, before the next step); together they cover the whole roll.
            string Stretches()
            {
                string Part(string name, Func<int, (DateTimeOffset From, DateTimeOffset To)> window)
                {
                    var requests = Enumerable.Range(0, phases.Count).SelectMany(k => Answered(window(k).From, window(k).To)).ToList();
                    return $"{name} {requests.Count(IsSlow)} of {requests.Count}";
                }
                return "requests over 200 ms by stretch: " + string.Join(", ",
                    Part("leaving", k => (phases[k].From, phases[k].Left)),
                    Part("starting", k => (phases[k].Left, phases[k].To)),
                    Part("settling (after a process was back, until the next step)", k => (phases[k].To, SettledAt(k)))) + "; " + FirstSeconds();
            }
            // Most of the settling's slow requests come in its first seconds (run dk): after a gateway, through that gateway.
            string FirstSeconds()
            {
                var window = TimeSpan.FromSeconds(3);
                var parts = new[] { "silo", "gateway" }.Select(kind =>
                {
                    var inside = phases.Where(p => p.Name.StartsWith(kind, StringComparison.Ordinal))
                        .SelectMany(p => Answered(p.To, p.To + window).Select(r => (Request: r, Back: p.Name))).ToList();
                    var own = kind == "gateway"
                        ? $" ({inside.Count(x => IsSlow(x.Request) && x.Back == $"gateway-{x.Request.Gateway + 1}")} through the gateway that came back)"
                        : "";
                    return $"after a {kind} {inside.Count(x => IsSlow(x.Request))} of {inside.Count}{own}";
                });
                return $"in the first {window.TotalSeconds:F0} s after a process was back: {string.Join(", ", parts)}";
            }
            var failed = load.Failures.Count;
            var seconds = roll.Elapsed.TotalSeconds;
            var figures = string.Join(Environment.NewLine,
            [
                $"rehearsal: 3 silos and 2 gateways rolled twice in {seconds:F0} s under a mixed load of {during.Length / seconds:F0} requests a second " +
                    $"({load.Acknowledged} writes acknowledged: {load.ComplaintIds.Count} filings and {load.Votes.Count} votes; {reads} reads; " +
                    $"Azurite {(AzuriteOnFiles ? "on files" : "in memory")}, {Lead.TotalSeconds:F0} s of load before the first step, {Settle.TotalSeconds:F0} s of settling)",
                cpu is null ? $"CPU: every thread on the machine weighs the same ({why})"
                    : $"CPU: each process in a group weighted by its pod's request{(PodCpu == "pods" ? " and capped at its limit" : " (no limit)")} ({cpu.Description}; {Environment.ProcessorCount} cores)",
                $"failed attempts: {failed} of {api.Requests.Count} requests ({readFailures} reads; the rest writes, each sent again with its key until answered); " +
                    $"rerouted by the balancer (connection refused, nothing sent): {api.Rerouted}",
                string.Create(CultureInfo.InvariantCulture, $"latency while rolling: p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms, max {Percentile(1):F1} ms over {during.Length} requests; " +
                    $"before rolling: p50 {Of(before, 0.50):F1} ms, p99 {Of(before, 0.99):F1} ms over {before.Length}; requests slower than 200 ms while rolling: {during.Count(d => d > 200)}"),
                $"grains that moved (application grains active on a silo when it was stopped): {moved}; acknowledged filings missing from the list: {lost}",
                Stretches(),
                // Which kinds of request are slow, before the rolls and during them.
                "by field (before rolling | while rolling):",
                .. api.Requests.Where(r => r.Answered && r.Sent >= rollStart.AddSeconds(-7) && r.Sent <= rollEnd).GroupBy(r => r.Field).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
                {
                    string Figures(IEnumerable<Api.Request> requests)
                    {
                        var sorted = requests.Select(r => r.Took.TotalMilliseconds).Order().ToArray();
                        return string.Create(CultureInfo.InvariantCulture, $"p50 {Of(sorted, 0.50):F0} ms, p99 {Of(sorted, 0.99):F0} ms, {sorted.Count(d => d > 200)} of {sorted.Length} over 200 ms");
                    }
                    return $"  {g.Key}: {Figures(g.Where(r => r.Sent < rollStart))} | {Figures(g.Where(r => r.Sent >= rollStart))}";
                }),
                .. steps.Select((step, k) => $"{step}; failed attempts: {load.Failures.Count(f => f.At >= phases[k].From && f.At <= phases[k].To.AddSeconds(2))}; " +
                    $"leaving: {Slow(phases[k].From, phases[k].Left)}; starting: {Slow(phases[k].Left, phases[k].To)}; " +
                    $"settling: {Slow(phases[k].To, SettledAt(k))}"),
                "slowest while rolling (what was asked, which gateway answered, when it was sent):",
                .. api.Requests.Where(r => r.Sent >= rollStart && r.Sent <= rollEnd && r.Answered).OrderByDescending(r => r.Took).Take(12).Select(r =>
                {
                    var at = phases.FindLast(p => p.From <= r.Sent);
                    var when = at.Name is null ? "before the first step"
                        : r.Sent < at.Left ? $"{(r.Sent - at.From).TotalSeconds:F1} s after {at.Name} was asked to stop"
                        : $"{(r.Sent - at.Left).TotalSeconds:F1} s after {at.Name} exited";
                    return string.Create(CultureInfo.InvariantCulture, $"  {r.Took.TotalMilliseconds:F0} ms {r.Field} via gateway-{r.Gateway + 1}, sent {r.Sent:HH:mm:ss.fff}, {when}");
                }),
                .. load.Failures.GroupBy(f => f.Why).OrderByDescending(g => g.Count()).Take(6).Select(g => $"  {g.Count()} × {g.Key}"),
            ]);
            output.WriteLine(figures);
            var artifacts = Path.Combine(Repository.Root, "artifacts");
            Directory.CreateDirectory(artifacts);
            await File.WriteAllTextAsync(Path.Combine(artifacts, "rehearsal.txt"), figures + Environment.NewLine);
            // Every request and every step in the order they happened, to line up slow requests with the steps (times in UTC;
            // a step's line has no duration, "step" for answered and what happened for the field).
            await File.WriteAllLinesAsync(Path.Combine(artifacts, "rehearsal-requests.csv"),
            [
                "sent,took_ms,answered,field,gateway",
                .. api.Requests.Select(r => (At: r.Sent, Line: string.Create(CultureInfo.InvariantCulture,
                        $"{r.Sent:HH:mm:ss.fff},{r.Took.TotalMilliseconds:F1},{r.Answered},{r.Field},gateway-{r.Gateway + 1}")))
                    .Concat(phases.SelectMany(p => new[] { (At: p.From, What: "asked to stop"), (At: p.Left, What: "exited"), (At: p.To, What: "back") }
                        .Select(e => (e.At, Line: $"{e.At:HH:mm:ss.fff},,step,{p.Name} {e.What},"))))
                    .OrderBy(x => x.At).Select(x => x.Line),
            ]);
            // What the gateways said about the failed attempts: their warnings and errors, each with the lines that follow.
            // The silos' too: what Orleans said while a silo left or joined.
            static IEnumerable<string> Warnings(PlatformProcess process)
            {
                var lines = process.Output.Split('\n');
                return lines.Select((line, n) => (line, n))
                    .Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("warn:", StringComparison.Ordinal) || l.line.StartsWith("---", StringComparison.Ordinal)
                        || l.line.StartsWith("info: Platform.Grains.Hosting.SiloWarmUp", StringComparison.Ordinal)
                        || l.line.StartsWith("info: Platform.Grains.PublicData", StringComparison.Ordinal))
                    .Select(l => $"{process.Name}: {string.Join(" | ", lines.Skip(l.n).Take(4).Select(x => x.Trim()))}");
            }
            await File.WriteAllLinesAsync(Path.Combine(artifacts, "rehearsal-gateways.txt"), cluster.Gateways.SelectMany(Warnings));
            await File.WriteAllLinesAsync(Path.Combine(artifacts, "rehearsal-silos.txt"), cluster.Silos.SelectMany(Warnings));

            // The goal of no failed request is not met yet (README, "Deploying to Kubernetes"): the figures say how far.
            // What must hold: every process leaves cleanly, and nothing acknowledged is lost.
            Assert.True(exits.All(e => e.Exited && e.Code == 0), $"{string.Join(", ", exits)}\n{figures}\n{cluster.Logs()}");
            Assert.Equal(0, lost);
            Assert.True(moved > 0, figures);
            Assert.True(load.ComplaintIds.Count > 0 && load.Votes.Count > 0, figures);
        }
        finally
        {
            if (orleans is not null)
            {
                await orleans.StopAsync(CancellationToken.None);
                orleans.Dispose();
            }
            await cluster.DisposeAsync();
        }
    }

    /// <summary>An Orleans client of the rehearsal's cluster, found the way the gateways find it, for the management grain.</summary>
    private static IHost ManagementClient(LocalCluster cluster)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = cluster.ClusterId,
            ["Orleans:ServiceId"] = "platform",
            ["ConnectionStrings:storage"] = cluster.StorageConnectionString,
            ["Orleans:Clustering:ProviderType"] = "AzureTableStorage",
            ["Orleans:Clustering:ConnectionName"] = "storage",
        });
        // The test's own questions (activations, membership): one lost as a silo leaves is asked again after 10 s, not 30.
        builder.UseOrleansClient(client => client.Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10)));
        return builder.Build();
    }

    /// <summary>The application grains (the platform's own) active on the silo at this port.</summary>
    private static async Task<int> ActivationsAsync(IManagementGrain management, int siloPort) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.SiloAddress.Endpoint.Port == siloPort && s.GrainType.Contains("Platform.", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
}

/// <summary>
/// The rehearsal starts a cluster of its own, so it has no shared cluster: with the assembly's collections run one at a
/// time, the shared one is stopped while the rehearsal measures, and does not take its share of the two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RollingRehearsalCollection
{
    public const string Name = "rolling rehearsal";
}
