using Orleans.Concurrency;
using Platform.Domain.Events;

namespace Platform.Grains.Notifications;

/// <summary>
/// The notifier: reads the event log from where it stopped, works out who is told of each event (one delivery row
/// per event, channel and recipient, so reading an event twice sends once), and sends what is due, retrying a failed
/// send with growing pauses for a day. One activation in the cluster; a reminder restarts it after a silo goes.
/// </summary>
[Alias("Platform.INotificationGrain")]
public interface INotificationGrain : IGrainWithIntegerKey
{
    /// <summary>New events are in the log: run a round soon (several pokes make one round).</summary>
    [Alias("Poke"), OneWay]
    Task PokeAsync();

    /// <summary>Runs a round now and says what it did; for the platform itself and its tests (system callers only).</summary>
    [Alias("RunOnce")]
    Task<DispatchRound> RunOnceAsync();
}

[GenerateSerializer, Immutable]
[Alias("Platform.DispatchRound")]
public sealed record DispatchRound(
    [property: Id(0)] int EventsRead,
    [property: Id(1)] int DeliveriesAdded,
    [property: Id(2)] int Sent,
    [property: Id(3)] int Retrying,
    [property: Id(4)] int GivenUp);

/// <summary>One kind of notification and how the person wants it.</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.NotificationPreference")]
public sealed record NotificationPreference(
    [property: Id(0)] NotificationKind Kind,
    [property: Id(1)] NotificationDelivery Delivery);

/// <summary>A person's notification settings: the language of their mail and each kind's delivery.</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.PersonSettings")]
public sealed record PersonSettings(
    [property: Id(0)] string Language,
    [property: Id(1)] IReadOnlyList<NotificationPreference> Preferences)
{
    public NotificationDelivery DeliveryOf(NotificationKind kind) =>
        Preferences.FirstOrDefault(p => p.Kind == kind)?.Delivery ?? NotificationDelivery.AtOnce;
}

/// <summary>A change of settings: a language, and the kinds to change (others stay as they are).</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.ChangeSettings")]
public sealed record ChangeSettings(
    [property: Id(0)] string? Language,
    [property: Id(1)] IReadOnlyList<NotificationPreference>? Preferences);

/// <summary>
/// One person's notification settings, keyed by their mail address in lower case. Only that person reads or
/// changes them; the platform reads them to send, and switches a kind off for a verified unsubscribe link.
/// </summary>
[Alias("Platform.IPersonSettingsGrain")]
public interface IPersonSettingsGrain : IGrainWithStringKey
{
    /// <summary>The settings (defaults when never changed); null for anyone but the person and the platform.</summary>
    [Alias("Get"), ReadOnly]
    Task<PersonSettings?> GetAsync();

    [Alias("Change")]
    Task<CommandResult> ChangeAsync(ChangeSettings change);

    /// <summary>Switches one kind off (the gateway calls this as the platform once the link's signature checked out).</summary>
    [Alias("Unsubscribe")]
    Task<CommandResult> UnsubscribeAsync(NotificationKind kind);
}
