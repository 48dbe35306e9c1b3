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

    /// <summary>
    /// Appends this week's overdue summaries (one per arrangement and member municipality with open complaints past
    /// their date) to the log; a reminder does it on Mondays at 07:00. Once per week: a second run adds nothing.
    /// System callers only; returns how many summaries it added.
    /// </summary>
    [Alias("SummariseOverdue")]
    Task<int> SummariseOverdueAsync();
}

/// <summary>
/// Appends events to the log (once each, by id) and wakes the notifier. Grains whose events follow a state change
/// call it from their outbox (<c>PendingEffect.Publish</c>), so an event is never lost between the two writes.
/// </summary>
[Alias("Platform.IEventLogGrain")]
public interface IEventLogGrain : IGrainWithIntegerKey
{
    /// <summary>System callers only. Appending an event the log holds already changes nothing.</summary>
    [Alias("Append")]
    Task AppendAsync(PlatformEvent e);
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

    /// <summary>
    /// Notes that the person follows (or stopped following) someone else's report, so they can see the list and closing
    /// their account can stop each; the report's grain calls this before it adds them, and after it removed them.
    /// </summary>
    [Alias("RecordFollow")]
    Task<CommandResult> RecordFollowAsync(string complaintId, bool follow);

    /// <summary>The ids of the reports the person follows, oldest first; empty for anyone but the person and the platform.</summary>
    [Alias("Followed"), ReadOnly]
    Task<IReadOnlyList<string>> FollowedAsync();
}

/// <summary>A partner's endpoint for events, registered by an admin of the organisation.</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.RegisterWebhook")]
public sealed record RegisterWebhook(
    [property: Id(0)] string? Url,
    [property: Id(1)] IReadOnlyList<string>? EventTypes);

/// <summary>A registered endpoint, without its secret.</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.Webhook")]
public sealed record Webhook(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> EventTypes,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string CreatedBy);

/// <summary>What a registration did; the secret is shown this once (the endpoint verifies signatures with it).</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.WebhookRegistration")]
public sealed record WebhookRegistration(
    [property: Id(0)] CommandResult Result,
    [property: Id(1)] string? Secret);

[GenerateSerializer, Immutable]
[Alias("Platform.WebhookList")]
public sealed record WebhookList(
    [property: Id(0)] CommandResult Access,
    [property: Id(1)] IReadOnlyList<Webhook> Webhooks);

/// <summary>Where and with which secret the notifier delivers (the platform only).</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.WebhookTarget")]
public sealed record WebhookTarget(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] string Secret);

/// <summary>
/// An organisation's webhooks (key: the organisation's id). Its admins (and platform operators) register, list and
/// remove them; the notifier reads where to deliver. Events reach only the organisations they concern.
/// </summary>
[Alias("Platform.IWebhookGrain")]
public interface IWebhookGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task<WebhookRegistration> RegisterAsync(RegisterWebhook command);

    [Alias("List"), ReadOnly]
    Task<WebhookList> ListAsync();

    [Alias("Remove")]
    Task<CommandResult> RemoveAsync(string? webhookId);

    /// <summary>Sends one delivery to one of these endpoints again now, with a fresh day of retries.</summary>
    [Alias("Redeliver")]
    Task<CommandResult> RedeliverAsync(string? deliveryId);

    /// <summary>The endpoints that asked for <paramref name="eventType"/>; empty for anyone but the platform.</summary>
    [Alias("Subscribed"), ReadOnly]
    Task<IReadOnlyList<WebhookTarget>> SubscribedAsync(string eventType);

    /// <summary>One endpoint's address and secret, or null when it was removed; null for anyone but the platform.</summary>
    [Alias("Target"), ReadOnly]
    Task<WebhookTarget?> TargetAsync(string webhookId);
}
