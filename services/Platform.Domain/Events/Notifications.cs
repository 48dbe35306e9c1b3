using System.Net;
using System.Security.Cryptography;
using System.Text;
using Platform.Domain.Access;
using Platform.Domain.Complaints;

namespace Platform.Domain.Events;

/// <summary>What a person can switch on or off, one kind at a time.</summary>
public enum NotificationKind
{
    /// <summary>The resident: every status change of a complaint they filed.</summary>
    ComplaintUpdates = 0,
    /// <summary>Executing-organisation staff: a complaint was filed about their work.</summary>
    NewComplaints = 1,
    /// <summary>Executing-organisation staff: a complaint passed a service-level date.</summary>
    OverdueComplaints = 2,
}

/// <summary>How a person wants one kind: not at all, or by mail at once.</summary>
public enum NotificationDelivery
{
    Off = 0,
    AtOnce = 1,
}

/// <summary>One mail to send for one event.</summary>
public sealed record MailRecipient(string Address, NotificationKind Kind);

/// <summary>Who is told of an event by mail: a pure rule, so the README's table and the code cannot drift apart.</summary>
public static class NotificationRules
{
    public static readonly IReadOnlyList<string> Languages = ["nl", "en"];

    /// <param name="executorStaff">The active staff (and admins) of the event's executing organisation: their addresses and roles.</param>
    public static IReadOnlyList<MailRecipient> MailRecipients(PlatformEvent e, IEnumerable<(string Email, string Role)> executorStaff)
    {
        var staff = executorStaff.Where(p => p.Role is Roles.ExecutorStaff or Roles.ExecutorAdmin).Select(p => p.Email.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal);
        return e.Type switch
        {
            EventTypes.ComplaintStatusChanged when e.Person is { } person && IsMailAddress(person) => [new(person, NotificationKind.ComplaintUpdates)],
            EventTypes.ComplaintFiled => [.. staff.Select(s => new MailRecipient(s, NotificationKind.NewComplaints))],
            EventTypes.ComplaintOverdue => [.. staff.Select(s => new MailRecipient(s, NotificationKind.OverdueComplaints))],
            _ => [],
        };
    }

    /// <summary>The kinds that can concern <paramref name="caller"/>: their own complaints' changes, and the executing organisation's work for its staff.</summary>
    public static IReadOnlyList<NotificationKind> KindsFor(Caller caller) => caller.IsExecutorStaff
        ? [NotificationKind.ComplaintUpdates, NotificationKind.NewComplaints, NotificationKind.OverdueComplaints]
        : [NotificationKind.ComplaintUpdates];

    public static bool IsMailAddress(string value) => value.Contains('@', StringComparison.Ordinal) && System.Net.Mail.MailAddress.TryCreate(value, out _);

    /// <summary>A stable kind name for links and settings (<c>complaint-updates</c>).</summary>
    public static string NameOf(NotificationKind kind) => kind switch
    {
        NotificationKind.ComplaintUpdates => "complaint-updates",
        NotificationKind.NewComplaints => "new-complaints",
        NotificationKind.OverdueComplaints => "overdue-complaints",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static NotificationKind? KindNamed(string? name) =>
        Enum.GetValues<NotificationKind>().Cast<NotificationKind?>().FirstOrDefault(k => NameOf(k!.Value) == name);
}

/// <summary>A composed mail: subject, plain text and HTML with the same content.</summary>
public sealed record ComposedMail(string Subject, string Text, string Html);

/// <summary>The words of each notification mail, in Dutch (the default) and English.</summary>
public static class NotificationMail
{
    public static ComposedMail Compose(PlatformEvent e, ComplaintEventData d, string language, Uri page, Uri unsubscribe)
    {
        var en = language == "en";
        var status = StatusName(d.To, en);
        var (subject, lead) = e.Type switch
        {
            EventTypes.ComplaintStatusChanged => en
                ? ($"Your complaint about {d.ServiceName}: {status}", $"The status of your complaint about {d.ServiceName} is now: {status}.")
                : ($"Uw melding over {d.ServiceName}: {status}", $"De status van uw melding over {d.ServiceName} is nu: {status}."),
            EventTypes.ComplaintFiled => en
                ? ($"New complaint about {d.ServiceName}", $"A resident filed a complaint about {d.ServiceName}; acknowledge it by {d.Due:yyyy-MM-dd}.")
                : ($"Nieuwe melding over {d.ServiceName}", $"Een inwoner deed een melding over {d.ServiceName}; neem die uiterlijk {d.Due:dd-MM-yyyy} in behandeling."),
            EventTypes.ComplaintOverdue => en
                ? ($"Overdue: complaint about {d.ServiceName}", $"A complaint about {d.ServiceName} was not {(d.Note == "acknowledge" ? "acknowledged" : "resolved")} by {d.Due:yyyy-MM-dd}.")
                : ($"Termijn verstreken: melding over {d.ServiceName}", $"Een melding over {d.ServiceName} is niet uiterlijk {d.Due:dd-MM-yyyy} {(d.Note == "acknowledge" ? "in behandeling genomen" : "opgelost")}."),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Type, "No mail for this event type."),
        };
        var note = e.Type == EventTypes.ComplaintStatusChanged && !string.IsNullOrWhiteSpace(d.Note) ? d.Note : null;
        var see = en ? "See the complaint and its history:" : "Bekijk de melding en het verloop:";
        var stop = en ? "You receive this mail because of your notification settings. Stop these mails:" : "U ontvangt deze mail door uw meldingsinstellingen. Deze mails niet meer ontvangen:";
        var noteLabel = en ? "Note" : "Toelichting";
        var text = new StringBuilder()
            .AppendLine(lead)
            .Append(note is null ? "" : $"{noteLabel}: {note}{Environment.NewLine}")
            .AppendLine()
            .AppendLine($"{see} {page}")
            .AppendLine()
            .AppendLine($"{stop} {unsubscribe}")
            .ToString();
        var html = $"""
            <!DOCTYPE html>
            <html lang="{(en ? "en" : "nl")}"><head><meta charset="utf-8"><title>{H(subject)}</title></head>
            <body>
            <p>{H(lead)}</p>
            {(note is null ? "" : $"<p><strong>{H(noteLabel)}:</strong> {H(note)}</p>")}
            <p><a href="{H(page.ToString())}">{H(see)}</a></p>
            <p><small>{H(stop)} <a href="{H(unsubscribe.ToString())}">{(en ? "unsubscribe" : "afmelden")}</a></small></p>
            </body></html>
            """;
        return new(subject, text, html);
    }

    private static string H(string value) => WebUtility.HtmlEncode(value);

    public static string StatusName(string status, bool english) => Enum.TryParse<ComplaintStatus>(status, out var s)
        ? s switch
        {
            ComplaintStatus.Submitted => english ? "submitted" : "ingediend",
            ComplaintStatus.Acknowledged => english ? "acknowledged" : "in behandeling genomen",
            ComplaintStatus.InProgress => english ? "being worked on" : "wordt aan gewerkt",
            ComplaintStatus.Resolved => english ? "resolved" : "opgelost",
            ComplaintStatus.Closed => english ? "closed" : "gesloten",
            ComplaintStatus.Rejected => english ? "rejected" : "afgewezen",
            ComplaintStatus.Duplicate => english ? "a duplicate" : "dubbel",
            ComplaintStatus.Reopened => english ? "reopened" : "heropend",
            _ => status,
        }
        : status;
}

/// <summary>
/// One-click unsubscribe links (RFC 8058): the person and the kind, signed with the platform's link key, so a link
/// works without signing in and cannot be changed to switch off someone else's mail.
/// </summary>
public static class UnsubscribeLinks
{
    public static string Sign(byte[] key, string person, NotificationKind kind)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{person.ToLowerInvariant()}\n{NotificationRules.NameOf(kind)}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool Verify(byte[] key, string? person, NotificationKind kind, string? token) =>
        person is { Length: > 0 and <= 320 } && token is { Length: > 0 and <= 64 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, person, kind)), Encoding.ASCII.GetBytes(token));

    /// <summary>The page that asks before it unsubscribes (the link in the mail's text).</summary>
    public static Uri Link(Uri webApp, byte[] key, string person, NotificationKind kind) => new(webApp, $"unsubscribe?{Query(key, person, kind)}");

    /// <summary>The address a mail program posts to without asking (the <c>List-Unsubscribe</c> header, RFC 8058).</summary>
    public static Uri OneClick(Uri webApp, byte[] key, string person, NotificationKind kind) => new(webApp, $"unsubscribe/one-click?{Query(key, person, kind)}");

    private static string Query(byte[] key, string person, NotificationKind kind) =>
        $"p={Uri.EscapeDataString(person.ToLowerInvariant())}&k={NotificationRules.NameOf(kind)}&t={Sign(key, person, kind)}";
}
