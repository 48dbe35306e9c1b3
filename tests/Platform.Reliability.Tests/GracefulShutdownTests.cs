using System.Diagnostics;
using Xunit.Abstractions;

namespace Platform.Reliability.Tests;

/// <summary>
/// A rolling restart as an orchestrator does it: SIGTERM, wait for the exit, start again. A silo that is asked to
/// stop leaves the cluster and hands its grains over (they activate elsewhere), and the gateway finishes the
/// requests it has begun before it exits; both exit with code 0 well within the 30 s an orchestrator waits.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class GracefulShutdownTests(LocalCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_silo_and_the_gateway_stopped_with_SIGTERM_under_load_exit_cleanly_and_drop_nothing()
    {
        var citizen = await cluster.Tokens.UserAccessTokenAsync("citizen@demo.test");
        var board = await cluster.Tokens.UserAccessTokenAsync("board@demo.test");
        var client = new Api(cluster.GatewayUrl);
        var load = new Load(client, citizen, board, (await Reads.ProposalVotesAsync(client, board)).Choice);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(5));

        // 1. A silo is asked to stop while filings and votes run through the cluster.
        var silo = cluster.Silos[0];
        var (retriesBefore, refusalsBefore) = (load.Retries, load.Refusals);
        var siloWatch = Stopwatch.StartNew();
        var siloExited = await silo.StopAsync(Grace);
        var siloTook = siloWatch.Elapsed;
        var siloExitCode = silo.ExitCode;
        var siloLog = silo.Output;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var (siloRetries, siloRefusals) = (load.Retries - retriesBefore, load.Refusals - refusalsBefore);
        silo.Start();
        await Task.Delay(TimeSpan.FromSeconds(5));

        // 2. The gateway is asked to stop: what it has begun, it answers.
        var gatewayWatch = Stopwatch.StartNew();
        var termAt = DateTimeOffset.UtcNow;
        var gatewayExited = await cluster.Gateway.StopAsync(Grace);
        var gatewayTook = gatewayWatch.Elapsed;
        var gatewayExitCode = cluster.Gateway.ExitCode;
        cluster.Gateway.Start();
        await cluster.WaitUntilReadyAsync(0, TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        stop.Cancel();
        await running;
        await load.FinishAsync(TimeSpan.FromSeconds(60));

        // Requests sent before the SIGTERM that were still open at it; each must have had an answer.
        var requests = client.Requests.ToArray();
        var beforeTerm = requests.Where(r => r.Sent < termAt).ToArray();
        var droppedInFlight = beforeTerm.Count(r => !r.Answered);
        var figures =
            $"graceful: silo exited {(siloExited ? $"with code {siloExitCode}" : "only when killed")} {siloTook.TotalSeconds:F1} s after SIGTERM, " +
            $"{siloRetries} requests retried and {siloRefusals} refused while it left; gateway exited {(gatewayExited ? $"with code {gatewayExitCode}" : "only when killed")} " +
            $"{gatewayTook.TotalSeconds:F1} s after SIGTERM, {droppedInFlight} of {beforeTerm.Length} requests sent before it dropped; {load.Acknowledged} writes acknowledged";
        output.WriteLine(figures);
        var artifacts = Path.Combine(Repository.Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "graceful.txt"), figures + Environment.NewLine);

        Assert.True(siloExited && siloExitCode == 0, $"{figures}\n{siloLog[^Math.Min(siloLog.Length, 6000)..]}");
        Assert.True(gatewayExited && gatewayExitCode == 0, $"{figures}\n{cluster.Logs()}");
        Assert.True(siloRetries == 0 && siloRefusals == 0, figures);
        Assert.True(droppedInFlight == 0, figures);
    }
}
