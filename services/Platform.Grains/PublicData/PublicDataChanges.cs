namespace Platform.Grains.PublicData;

/// <summary>A grain whose state anyone may read through the gateway without signing in.</summary>
public interface IPublicState
{
    /// <summary>The version of the stored state (its storage ETag); it changes with every write.</summary>
    string? StateVersion { get; }
}

/// <summary>
/// Every call to a grain with public state, whatever its caller (a gateway's mutation, another grain, a reminder):
/// when the call stored a new state, the gateways are told before the call returns (see <see cref="IPublicDataFeedGrain"/>).
/// One place for it, so that no write path can forget it.
/// </summary>
public sealed class PublicDataChanges(IGrainFactory grains) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetContext.GrainInstance is not IPublicState shown)
        {
            await context.Invoke();
            return;
        }
        var before = shown.StateVersion;
        try
        {
            await context.Invoke();
        }
        catch when (shown.StateVersion != before)
        {
            // Stored, then failed: the change is real all the same.
            await AnnounceAsync(context);
            throw;
        }
        if (shown.StateVersion != before) await AnnounceAsync(context);
    }

    /// <summary>
    /// Tells the feed; once more when that failed (the feed moving to another silo as one leaves), since the change is
    /// stored and its caller should not see an error for it. Telling the gateways twice is harmless.
    /// </summary>
    private async Task AnnounceAsync(IIncomingGrainCallContext context)
    {
        var feed = grains.GetGrain<IPublicDataFeedGrain>(PublicDataFeed.Key);
        try
        {
            await feed.ChangedAsync(context.TargetId.ToString());
        }
        catch (Exception e) when (e is not OperationCanceledException and not TimeoutException)
        {
            await Task.Delay(AnnounceRetryPause);
            await feed.ChangedAsync(context.TargetId.ToString());
        }
    }

    private static readonly TimeSpan AnnounceRetryPause = TimeSpan.FromMilliseconds(250);
}
