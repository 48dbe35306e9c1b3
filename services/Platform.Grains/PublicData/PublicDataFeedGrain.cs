using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Platform.Grains.PublicData;

[GenerateSerializer]
public sealed class PublicDataFeedState
{
    /// <summary>No lease this feed granted runs past this moment (real time, UTC); written ahead, so rarely.</summary>
    [Id(0)] public DateTimeOffset LeasesUntil { get; set; }
}

/// <summary>
/// The gateways' subscriptions, in memory; what must survive a failed silo is only how long the leases it granted
/// may still run. A new activation that cannot know every gateway holding a lease makes a change wait until those
/// leases ran out (at most <see cref="PublicDataFeed.Lease"/>), so no gateway serves a cached answer from before a
/// change once the change returned. Reentrant: a change that waits lets gateways renew meanwhile.
/// Time here is real time, not the platform's business clock (which tests shift).
/// </summary>
[Reentrant]
public sealed partial class PublicDataFeedGrain(
    [PersistentState("public-data-feed", StorageNames.Grains)] IPersistentState<PublicDataFeedState> state,
    ILogger<PublicDataFeedGrain> logger) : Grain, IPublicDataFeedGrain
{
    /// <summary>How long a gateway may take to drop its cache before it is treated as unreachable.</summary>
    private static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How far ahead the lease horizon is written, so that renewals seldom write.</summary>
    private static readonly TimeSpan HorizonAhead = TimeSpan.FromMinutes(1);

    private readonly Guid epoch = Guid.NewGuid();
    private readonly Dictionary<IPublicDataObserver, DateTimeOffset> leases = [];

    /// <summary>Until when leases granted by an earlier activation may run.</summary>
    private DateTimeOffset earlierLeasesUntil;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var recorded = state.State.LeasesUntil;
        // The earlier activation granted nothing past the recorded horizon, nor anything after this one began.
        earlierLeasesUntil = recorded < Now + PublicDataFeed.Lease ? recorded : Now + PublicDataFeed.Lease;
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Handing over cleanly: gateways that hear of it stop serving at once; the next activation waits only for the
        // leases of those that did not answer.
        var subscribers = leases.Where(l => l.Value > Now).ToList();
        var answers = await Task.WhenAll(subscribers.Select(s => TellAsync(s.Key.ClosingAsync(epoch), "closing")));
        var latest = Now;
        for (var i = 0; i < subscribers.Count; i++)
        {
            if (!answers[i] && subscribers[i].Value > latest) latest = subscribers[i].Value;
        }
        leases.Clear();
        if (latest < state.State.LeasesUntil)
        {
            state.State.LeasesUntil = latest;
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHorizonNotShortened(logger, ex); // the next activation waits a little longer; nothing is lost
            }
        }
    }

    /// <summary>Tells one gateway something; false when it did not answer in time.</summary>
    private async Task<bool> TellAsync(Task call, string what)
    {
        try
        {
            await call.WaitAsync(NotifyTimeout);
            return true;
        }
        catch (Exception ex)
        {
            LogUnreachable(logger, ex, what);
            return false;
        }
    }

    public async Task<PublicDataLease> SubscribeAsync(IPublicDataObserver observer)
    {
        var until = Now + PublicDataFeed.Lease;
        if (until > state.State.LeasesUntil)
        {
            await WriteHorizonAsync(until + HorizonAhead); // before the lease is granted: a failed silo cannot forget it
        }
        leases[observer] = until;
        return new PublicDataLease(epoch);
    }

    public Task UnsubscribeAsync(IPublicDataObserver observer)
    {
        leases.Remove(observer);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Records how long the leases granted may run. Another activation of the feed may have written meanwhile (while
    /// a silo leaves, the feed can briefly be active on two silos): then its horizon is read and the later one kept,
    /// and this activation's changes also wait for the leases that one may have granted.
    /// </summary>
    private async Task WriteHorizonAsync(DateTimeOffset horizon)
    {
        state.State.LeasesUntil = horizon;
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            await state.ReadStateAsync();
            var theirs = state.State.LeasesUntil;
            var granted = theirs < Now + PublicDataFeed.Lease ? theirs : Now + PublicDataFeed.Lease;
            if (granted > earlierLeasesUntil) earlierLeasesUntil = granted;
            if (theirs < horizon)
            {
                state.State.LeasesUntil = horizon;
                await state.WriteStateAsync();
            }
        }
    }

    public async Task ChangedAsync(string grain)
    {
        var started = Now;
        foreach (var (observer, until) in leases.ToList())
        {
            if (until <= started) leases.Remove(observer);
        }
        var change = new PublicDataChange(epoch, grain);
        var subscribers = leases.ToList();
        var answers = await Task.WhenAll(subscribers.Select(s => TellAsync(s.Key.ChangedAsync(change), grain)));
        // A gateway that did not answer may serve its cache until its lease ends: the change returns after that.
        var waitUntil = earlierLeasesUntil;
        for (var i = 0; i < subscribers.Count; i++)
        {
            if (answers[i]) continue;
            leases.Remove(subscribers[i].Key);
            if (subscribers[i].Value > waitUntil) waitUntil = subscribers[i].Value;
        }
        var wait = waitUntil - Now;
        if (wait > TimeSpan.Zero)
        {
            LogWaiting(logger, grain, wait.TotalMilliseconds);
            await Task.Delay(wait);
        }
        PublicDataMetrics.Changes.Add(1);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A gateway did not answer the public data feed ({What}); it is unsubscribed")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "The change of {Grain} waits {Milliseconds:0} ms for gateway leases this feed cannot reach to run out")]
    private static partial void LogWaiting(ILogger logger, string grain, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The public data feed could not record its shorter lease horizon")]
    private static partial void LogHorizonNotShortened(ILogger logger, Exception exception);
}

internal static class PublicDataMetrics
{
    private static readonly System.Diagnostics.Metrics.Meter Meter = new("Platform.PublicData");
    public static readonly System.Diagnostics.Metrics.Counter<long> Changes =
        Meter.CreateCounter<long>("platform.public_data.changes", description: "Changes of public data announced to the gateways");
}
