namespace Platform.Grains.PublicData;

/// <summary>
/// Tells every gateway that public data changed (an arrangement, municipality, organisation, proposal or catalog
/// stored a new state), before the call that changed it returns. The gateways keep answers to public queries in a
/// cache; this feed is how they learn that those answers are out of date. One activation, key <see cref="PublicDataFeed.Key"/>.
/// </summary>
[Alias("Platform.IPublicDataFeedGrain")]
public interface IPublicDataFeedGrain : IGrainWithStringKey
{
    /// <summary>Subscribes or renews the subscription of <paramref name="observer"/> for another <see cref="PublicDataFeed.Lease"/>.</summary>
    [Alias("Subscribe")]
    Task<PublicDataLease> SubscribeAsync(IPublicDataObserver observer);

    /// <summary>
    /// Ends the subscription of <paramref name="observer"/>: a gateway that stops, having stopped serving its kept
    /// answers first. Changes no longer wait for it to answer or for its lease to run out.
    /// </summary>
    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IPublicDataObserver observer);

    /// <summary>
    /// Public data of <paramref name="grain"/> changed. Returns once every subscribed gateway has dropped its cached
    /// answers, or once a gateway that did not answer can no longer serve them (its lease ran out).
    /// </summary>
    [Alias("Changed")]
    Task ChangedAsync(string grain);
}

/// <summary>A gateway's side of the feed.</summary>
[Alias("Platform.IPublicDataObserver")]
public interface IPublicDataObserver : IGrainObserver
{
    /// <summary>Drop every cached answer: public data changed.</summary>
    [Alias("Changed")]
    Task ChangedAsync(PublicDataChange change);

    /// <summary>
    /// The feed's activation of <paramref name="epoch"/> is ending (its silo stops): drop every cached answer and serve
    /// none until subscribed again, so that the next activation need not wait for this gateway's lease to run out.
    /// </summary>
    [Alias("Closing")]
    Task ClosingAsync(Guid epoch);
}

/// <summary>
/// A subscription's answer. <paramref name="Epoch"/> names the feed's activation: a gateway that sees a new epoch may
/// have missed changes while the feed moved (a silo failed) and drops its cache.
/// </summary>
[GenerateSerializer, Immutable, Alias("Platform.PublicDataLease")]
public sealed record PublicDataLease([property: Id(0)] Guid Epoch);

[GenerateSerializer, Immutable, Alias("Platform.PublicDataChange")]
public sealed record PublicDataChange([property: Id(0)] Guid Epoch, [property: Id(1)] string Grain);

public static class PublicDataFeed
{
    public const string Key = "public";

    /// <summary>
    /// How long a subscription lasts without renewal. A gateway serves cached answers only while its subscription
    /// holds (counted from before it asked), so a gateway the feed cannot reach stops serving them within this time.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);

    /// <summary>How often a gateway renews: three times per lease, so a lost renewal does not end it.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(2);
}
