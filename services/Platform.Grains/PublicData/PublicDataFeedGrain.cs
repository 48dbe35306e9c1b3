using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Platform.Grains.PublicData;

[GenerateSerializer]
public sealed class PublicDataFeedState
{
    /// <summary>No lease this feed granted runs past this moment (real time, UTC); written ahead, so rarely.</summary>
    [Id(0)] public DateTimeOffset LeasesUntil { get; set; }

    /// <summary>
    /// Written by an activation that ended cleanly (its silo stopped): it told every gateway it closed, and these are
    /// the ones that did not answer, with the end of their leases. Empty when every gateway answered.
    /// </summary>
    [Id(1)] public List<PublicDataLeaseHeld> Unanswered { get; set; } = [];

    /// <summary>Whether <see cref="Unanswered"/> is a clean hand-over; false while an activation runs.</summary>
    [Id(2)] public bool HandedOver { get; set; }
}

/// <summary>A gateway's lease (the gateway by its observer's grain id) and when it ends.</summary>
[GenerateSerializer, Immutable, Alias("Platform.PublicDataLeaseHeld")]
public sealed record PublicDataLeaseHeld([property: Id(0)] string Gateway, [property: Id(1)] DateTimeOffset Until);

/// <summary>
/// The gateways' subscriptions, in memory; what must survive a failed silo is only how long the leases it granted
/// may still run. A new activation that cannot know every gateway holding a lease makes a change wait until those
/// leases ran out (at most <see cref="PublicDataFeed.Lease"/>), so no gateway serves a cached answer from before a
/// change once the change returned. An activation that ends cleanly tells its gateways and records which did not
/// answer; the next one then waits only for those, and not for one that has since subscribed to it (a gateway drops
/// everything it kept when it sees a new epoch). Reentrant: a change that waits lets gateways renew meanwhile.
/// Time here is real time, not the platform's business clock (which tests shift).
/// </summary>
[Reentrant]
public sealed partial class PublicDataFeedGrain(
    [PersistentState("public-data-feed", StorageNames.Grains)] IPersistentState<PublicDataFeedState> state,
    ILogger<PublicDataFeedGrain> logger) : Grain, IPublicDataFeedGrain
{
    /// <summary>How long a gateway may take to drop its cache before it is treated as unreachable.</summary>
    private static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one notice of a change may take before it is sent again (while the gateway's lease runs). A notice
    /// travels to the gateway through a silo's gateway and its answer back the same way; a silo that stops drops what
    /// it passes on once it blocks messages, answers included, and the next notice takes another route.
    /// </summary>
    private static readonly TimeSpan ChangeAttempt = TimeSpan.FromSeconds(1);

    /// <summary>The pause before a notice that failed at once (no route to the gateway yet) is sent again.</summary>
    private static readonly TimeSpan ChangeRetryPause = TimeSpan.FromMilliseconds(100);

    /// <summary>How far ahead the lease horizon is written, so that renewals seldom write.</summary>
    private static readonly TimeSpan HorizonAhead = TimeSpan.FromMinutes(1);

    /// <summary>How often a change waiting for an earlier activation's leases looks again (and reads the record).</summary>
    private static readonly TimeSpan HandoverPoll = TimeSpan.FromMilliseconds(200);

    private readonly Guid epoch = Guid.NewGuid();

    /// <summary>One read or write of the state at a time: the grain is reentrant.</summary>
    private readonly SemaphoreSlim storage = new(1, 1);

    private readonly Dictionary<IPublicDataObserver, DateTimeOffset> leases = [];

    /// <summary>Gateways that subscribed to this activation: they dropped what they kept under an earlier one.</summary>
    private readonly HashSet<string> renewedHere = [];

    /// <summary>Until when leases granted by an earlier activation may run.</summary>
    private DateTimeOffset earlierLeasesUntil;

    /// <summary>The earlier activation's clean hand-over, when it recorded one: the only leases of its still to wait for.</summary>
    private List<PublicDataLeaseHeld>? handedOver;

    /// <summary>The watch that reads the record while an earlier activation's leases may run.</summary>
    private Task? handover;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        earlierLeasesUntil = DateTimeOffset.MinValue;
        Learn(state.State);
        // Watch for that activation's hand-over from the start, changes or not: once it records one, this activation
        // records its own horizon again (its leases were granted under the one that activation replaced).
        if (EarlierLeasesUntil() > Now) handover = WatchHandoverAsync();
        return Task.CompletedTask;
    }

    /// <summary>
    /// What a record written by another activation says about the leases that one may have granted: a clean hand-over
    /// names them; a running activation's horizon bounds them (it granted nothing past it, nor anything after now).
    /// </summary>
    private void Learn(PublicDataFeedState recorded)
    {
        var bound = recorded.LeasesUntil < Now + PublicDataFeed.Lease ? recorded.LeasesUntil : Now + PublicDataFeed.Lease;
        if (recorded.HandedOver)
        {
            earlierLeasesUntil = bound;
            handedOver = recorded.Unanswered;
        }
        else
        {
            if (bound > earlierLeasesUntil) earlierLeasesUntil = bound;
            handedOver = null;
        }
    }

    /// <summary>Until when a lease granted by an earlier activation may still let a gateway serve what it kept.</summary>
    private DateTimeOffset EarlierLeasesUntil()
    {
        if (handedOver is null) return earlierLeasesUntil;
        var until = DateTimeOffset.MinValue;
        foreach (var held in handedOver)
        {
            if (!renewedHere.Contains(held.Gateway) && held.Until > until) until = held.Until;
        }
        return until < earlierLeasesUntil ? until : earlierLeasesUntil;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Handing over cleanly: gateways that hear of it stop serving at once; the next activation, which may already
        // be running elsewhere and reading this record, waits only for the leases of those that did not answer.
        var subscribers = leases.Where(l => l.Value > Now).ToList();
        var answers = await Task.WhenAll(subscribers.Select(s => TellAsync(s.Key.ClosingAsync(epoch), "closing")));
        List<PublicDataLeaseHeld> unanswered = [.. subscribers.Where((_, i) => !answers[i]).Select(s => new PublicDataLeaseHeld(Id(s.Key), s.Value))];
        leases.Clear();
        // Leases of the activation before this one that may still run are this one's to hand over too.
        var inheritedUntil = EarlierLeasesUntil();
        var clean = inheritedUntil <= Now || handedOver is not null;
        if (handedOver is not null)
        {
            unanswered.AddRange(handedOver.Where(h => h.Until > Now && !renewedHere.Contains(h.Gateway)));
        }
        var latest = unanswered.Count == 0 ? Now : unanswered.Max(h => h.Until);
        if (inheritedUntil > latest) latest = inheritedUntil;
        await storage.WaitAsync(cancellationToken);
        try
        {
            if (latest < state.State.LeasesUntil)
            {
                state.State.LeasesUntil = latest;
                state.State.Unanswered = clean ? unanswered : [];
                state.State.HandedOver = clean;
                await state.WriteStateAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogHorizonNotShortened(logger, ex); // the next activation waits a little longer; nothing is lost
        }
        finally
        {
            storage.Release();
        }
    }

    /// <summary>A gateway by its observer's grain id (an observer in this process, as in unit tests, by its own name).</summary>
    private static string Id(IPublicDataObserver observer) => observer is GrainReference reference ? reference.GrainId.ToString() : observer.ToString() ?? "";

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

    /// <summary>
    /// Tells one gateway of a change, again after each <see cref="ChangeAttempt"/> without an answer, until its lease
    /// ends: a lost answer costs the change one attempt instead of the rest of the lease. Dropping a kept answer twice
    /// is harmless. False when no notice was answered before the lease ended.
    /// </summary>
    private async Task<bool> TellWhileLeasedAsync(IPublicDataObserver gateway, PublicDataChange change, DateTimeOffset until)
    {
        for (var attempt = 1; ; attempt++)
        {
            var left = until - Now;
            if (left <= TimeSpan.Zero) return false;
            var started = Now;
            try
            {
                await gateway.ChangedAsync(change).WaitAsync(left < ChangeAttempt ? left : ChangeAttempt);
                if (attempt > 1) LogAnsweredAgain(logger, change.Grain, attempt);
                return true;
            }
            catch (Exception ex)
            {
                if (until - Now <= TimeSpan.Zero)
                {
                    LogUnreachable(logger, ex, change.Grain);
                    return false;
                }
                if (Now - started < ChangeRetryPause) await Task.Delay(ChangeRetryPause);
            }
        }
    }

    public async Task<PublicDataLease> SubscribeAsync(IPublicDataObserver observer)
    {
        var until = Now + PublicDataFeed.Lease;
        // Before the lease is granted: a failed silo cannot forget it. A hand-over names only the earlier activation's
        // gateways, so a lease granted under one is recorded too.
        bool Unrecorded() => until > state.State.LeasesUntil || state.State.HandedOver;
        if (Unrecorded())
        {
            await storage.WaitAsync();
            try
            {
                if (Unrecorded()) await WriteHorizonAsync(until + HorizonAhead);
            }
            finally
            {
                storage.Release();
            }
        }
        leases[observer] = until;
        renewedHere.Add(Id(observer));
        return new PublicDataLease(epoch);
    }

    public Task UnsubscribeAsync(IPublicDataObserver observer)
    {
        leases.Remove(observer);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Records how long the leases granted may run (holding <see cref="storage"/>). Another activation of the feed may have written meanwhile (while
    /// a silo leaves, the feed can briefly be active on two silos): then its horizon is read and the later one kept,
    /// and this activation's changes also wait for the leases that one may have granted.
    /// </summary>
    private async Task WriteHorizonAsync(DateTimeOffset horizon)
    {
        Record(horizon);
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            await state.ReadStateAsync();
            Learn(state.State);
            if (state.State.LeasesUntil < horizon || state.State.HandedOver)
            {
                Record(horizon);
                await state.WriteStateAsync();
            }
        }
    }

    /// <summary>This activation's horizon, replacing any hand-over: it may grant leases the hand-over does not name.</summary>
    private void Record(DateTimeOffset horizon)
    {
        state.State.LeasesUntil = horizon;
        state.State.HandedOver = false;
        state.State.Unanswered = [];
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
        // A gateway that answered no notice may have served its cache until its lease ended, which is when its
        // notices stopped: it is unsubscribed, and the change returns no earlier than that.
        var answers = await Task.WhenAll(subscribers.Select(s => TellWhileLeasedAsync(s.Key, change, s.Value)));
        for (var i = 0; i < subscribers.Count; i++)
        {
            if (!answers[i]) leases.Remove(subscribers[i].Key);
        }
        if (EarlierLeasesUntil() > Now)
        {
            var handing = Now;
            await EarlierLeasesEndedAsync();
            LogHandedOver(logger, grain, (Now - handing).TotalMilliseconds);
        }
        PublicDataMetrics.Changes.Add(1);
    }

    /// <summary>
    /// Completes once no lease granted by an earlier activation can still let a gateway serve what it kept: when the
    /// horizon it recorded ran out; when it handed over cleanly, once the gateways it named either subscribed here or
    /// ran out of lease; and it may hand over while this one already runs (a silo that leaves hands its grains on
    /// before it finished deactivating them), so the record is read again meanwhile. One watch, shared by every change
    /// that waits.
    /// </summary>
    private Task EarlierLeasesEndedAsync()
    {
        if (handover is null || handover.IsCompleted) handover = WatchHandoverAsync();
        return handover;
    }

    private async Task WatchHandoverAsync()
    {
        while (EarlierLeasesUntil() - Now is var left && left > TimeSpan.Zero)
        {
            await Task.Delay(left < HandoverPoll ? left : HandoverPoll);
            if (EarlierLeasesUntil() > Now) await ReadHandoverAsync();
        }
    }

    /// <summary>Reads the record; one written by another activation says what that activation's leases may still do.</summary>
    private async Task ReadHandoverAsync()
    {
        await storage.WaitAsync();
        try
        {
            var known = state.Etag;
            await state.ReadStateAsync();
            if (state.Etag == known) return;
            Learn(state.State);
            // Their record replaced the horizon this activation's leases were granted under: record one again.
            if (leases.Count > 0 && (state.State.HandedOver || leases.Values.Max() > state.State.LeasesUntil))
            {
                await WriteHorizonAsync(Now + PublicDataFeed.Lease + HorizonAhead);
            }
        }
        catch (Exception ex)
        {
            LogHandoverUnread(logger, ex); // the change waits for what it knew, as without the read
        }
        finally
        {
            storage.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A gateway did not answer the public data feed ({What}); it is unsubscribed")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "A gateway answered the change of {Grain} at notice {Attempt}; the notices before it went unanswered")]
    private static partial void LogAnsweredAgain(ILogger logger, string grain, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "The change of {Grain} waited {Milliseconds:0} ms for the feed's earlier activation to hand over")]
    private static partial void LogHandedOver(ILogger logger, string grain, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The public data feed could not read whether its earlier activation handed over; changes wait for its recorded horizon")]
    private static partial void LogHandoverUnread(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The public data feed could not record its shorter lease horizon")]
    private static partial void LogHorizonNotShortened(ILogger logger, Exception exception);
}

internal static class PublicDataMetrics
{
    private static readonly System.Diagnostics.Metrics.Meter Meter = new("Platform.PublicData");
    public static readonly System.Diagnostics.Metrics.Counter<long> Changes =
        Meter.CreateCounter<long>("platform.public_data.changes", description: "Changes of public data announced to the gateways");
}
