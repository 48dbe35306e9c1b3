using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Grains.Hosting;

/// <summary>
/// Keeps a stopping silo passing on answers for a while after it has told its clients to send it nothing more, so
/// that the answers to what they sent through its gateway before still reach them.
/// <para>
/// A client's call goes through one silo's gateway to a grain that may live on another silo. Its answer goes back
/// to the client directly when the grain's silo has a connection from that client, and otherwise through the silo
/// the call came through: so it is for a silo that has just started, whose gateway the clients have not connected
/// to yet. Orleans tells the clients to stop sending as a silo starts to stop (at
/// <see cref="ServiceLifecycleStage.Active"/>), deactivates the silo's grains, and then blocks application messages
/// (at <see cref="ServiceLifecycleStage.RuntimeServices"/>): from then on it drops what it passes on, answers
/// included (Orleans 10.4: <c>Dropping message Response … since this silo is blocking application messages</c>),
/// until the other silos know it has gone. A call still being answered at that moment lost its answer; its caller
/// waited out the grain-call timeout (10 s) and sent it again. The rolling rehearsal saw this in runs bb and bd (a
/// read of 11.2 s, a filing of 10.5 s, each answered by a silo that had started again seconds before).
/// </para>
/// <para>
/// This waits at the silo's <see cref="ServiceLifecycleStage.Active"/> stop, beside Orleans' own message to the
/// clients, for <see cref="SiloSettings.GatewayDrain"/> (2 s by default; zero turns it off), so that the calls sent
/// through its gateway before that message are answered before the silo blocks. Meanwhile the silo is still a full
/// member: its grains answer, and clients send new calls through the other gateways. A stop that is no longer
/// graceful (its cancellation token cancelled) does not wait.
/// </para>
/// </summary>
public sealed partial class GatewayDrain(IOptions<SiloSettings> settings, ILogger<GatewayDrain> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(2);

    /// <summary>The configured drain: <c>Platform:Silo:GatewayDrain</c>, never negative.</summary>
    public TimeSpan Drain { get; } = settings.Value.GatewayDrain;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(GatewayDrain), ServiceLifecycleStage.Active, _ => Task.CompletedTask, DrainAsync);

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (Drain <= TimeSpan.Zero || cancellationToken.IsCancellationRequested) return;
        LogDraining(logger, Drain.TotalMilliseconds);
        await Task.Delay(Drain, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: clients are told to send nothing more; answers to what they sent are passed on for {DrainMs:F0} ms before the grains deactivate and messages are blocked")]
    private static partial void LogDraining(ILogger logger, double drainMs);
}
