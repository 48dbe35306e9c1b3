namespace Platform.Domain.Events;

/// <summary>A kind of event: its type name, what it means, and who is told.</summary>
public sealed record EventType(string Name, string Meaning, string WhoIsTold);

/// <summary>
/// The event types the platform publishes. Names follow CloudEvents' reverse-DNS style; they are part of the
/// partner contract and never change meaning.
/// </summary>
public static class EventTypes
{
    public const string Prefix = "nl.regelingen.";
    public const string ComplaintFiled = Prefix + "complaint.filed";
    public const string ComplaintStatusChanged = Prefix + "complaint.status-changed";
    public const string ComplaintOverdue = Prefix + "complaint.overdue";

    public static readonly IReadOnlyList<EventType> All =
    [
        new(ComplaintFiled, "A resident filed a complaint about a service of an arrangement.",
            "The executing organisation's staff (mail, kind new-complaints); partners of the municipality and of the executing organisation."),
        new(ComplaintStatusChanged, "A complaint moved to another status (acknowledged, in progress, resolved, closed, rejected, duplicate, reopened).",
            "The resident who filed it (mail, kind complaint-updates); partners of the municipality and of the executing organisation."),
        new(ComplaintOverdue, "A complaint was not acknowledged or not resolved by the date its service level sets.",
            "The executing organisation's staff (mail, kind overdue-complaints); partners of the municipality and of the executing organisation."),
    ];

    public static bool IsKnown(string name) => All.Any(t => t.Name == name);
}
