using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Platform.Domain.Events;
using Platform.ReadModel;

namespace Platform.Grains.Notifications;

/// <summary>Section <c>Platform:Notifications</c>: where mail links point, and the key that signs unsubscribe links.</summary>
public sealed class NotificationSettings
{
    public const string Section = "Platform:Notifications";

    /// <summary>Only for Development and tests; any other environment must set its own (the silo refuses to start without).</summary>
    public const string DevelopmentLinkKey = "development-only-unsubscribe-link-key-0123456789";

    /// <summary>The web app, which the links in mails open (a complaint's page, the unsubscribe page).</summary>
    public Uri WebAppUrl { get; set; } = new("http://127.0.0.1:5082/");

    /// <summary>At least 32 characters of secret; the silo signs unsubscribe links with it and the gateway checks them.</summary>
    public string LinkKey { get; set; } = DevelopmentLinkKey;

    public byte[] LinkKeyBytes => Encoding.UTF8.GetBytes(LinkKey);

    /// <summary>
    /// Whether webhooks may point at http:// and at loopback or private addresses. Only for Development (where it is
    /// the default) and tests: anywhere else the platform must not be made to call into its own network.
    /// </summary>
    public bool AllowPrivateWebhookTargets { get; set; }

    /// <summary>The first pause after a failed send; each next one doubles, up to <see cref="LongestRetryPause"/>.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest pause between two attempts of one send (an hour): a mail server back after an outage is used within it.</summary>
    public TimeSpan LongestRetryPause { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the notifier looks for due sends while it is active.</summary>
    public TimeSpan RoundEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The reason the settings cannot be used outside Development, or null.</summary>
    public string? ProblemOutsideDevelopment() =>
        LinkKey == DevelopmentLinkKey || LinkKey.Length < 32
            ? $"Set {Section}:LinkKey to a secret of at least 32 characters (it signs the unsubscribe links in mails; the silo and the gateway need the same one)."
            : null;
}

/// <summary>Events as JSON (the log's <c>data</c> column, CloudEvents' data, the GraphQL feed): camelCase, no nulls.</summary>
public static class EventJson
{
    public static JsonSerializerOptions Options => EventData.Options;

    public static EventRow Row(PlatformEvent e) => new()
    {
        Id = e.Id, Type = e.Type, Time = e.Time.ToUnixTimeMilliseconds(), Subject = e.Subject, ArrangementId = e.ArrangementId,
        Municipality = e.Municipality, ExecutingOrganisation = e.ExecutingOrganisation, Person = e.Person, Data = e.Data,
    };

    public static PlatformEvent Event(EventRow r) =>
        new(r.Id, r.Type, DateTimeOffset.FromUnixTimeMilliseconds(r.Time), r.Subject, r.ArrangementId, r.Municipality, r.ExecutingOrganisation, r.Person, r.Data);
}
