namespace Platform.Domain.Events;

/// <summary>
/// Something that happened which someone may care about. Written with the state change that caused it (the
/// grain's outbox), then appended once to the event log by its <see cref="Id"/>, which is stable: a retried append
/// or a repeated delivery carries the same id, so receivers deduplicate by it.
/// </summary>
/// <param name="Type">One of <see cref="EventTypes"/>.</param>
/// <param name="Subject">The aggregate it is about, e.g. the complaint's id.</param>
/// <param name="Municipality">The member municipality it concerns; its staff and partners may see it.</param>
/// <param name="ExecutingOrganisation">The executing organisation it concerns; its staff and partners may see it.</param>
/// <param name="Person">The one person it concerns directly (a complaint's author), lower case; null for none.</param>
/// <param name="Data">The event's own facts as JSON (see <see cref="ComplaintEventData"/>).</param>
[GenerateSerializer, Immutable]
[Alias("Platform.Domain.Events.PlatformEvent")]
public sealed record PlatformEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset Time,
    [property: Id(3)] string Subject,
    [property: Id(4)] string? ArrangementId,
    [property: Id(5)] string? Municipality,
    [property: Id(6)] string? ExecutingOrganisation,
    [property: Id(7)] string? Person,
    [property: Id(8)] string Data);

/// <summary>What a complaint event says: the status it moved from and to, and the words that came with it.</summary>
public sealed record ComplaintEventData(
    string ComplaintId,
    string ArrangementId,
    string ServiceCode,
    string ServiceName,
    string? From,
    string To,
    string? Note = null,
    DateOnly? Due = null);

/// <summary>
/// What an arrangement-wide event says (a proposal's step, a tariff, a membership). <see cref="Members"/> are the
/// member municipalities it concerns when it happened; their staff and partners may see it, and the notifier tells
/// their people without asking the arrangement again.
/// </summary>
public sealed record ArrangementEventData(
    string ArrangementId,
    string ArrangementName,
    IReadOnlyList<string> Members,
    string? ProposalId = null,
    string? Title = null,
    string? Kind = null,
    DateTimeOffset? VotingOpensAt = null,
    DateTimeOffset? VotingClosesAt = null,
    IReadOnlyList<string>? NotVoted = null,
    string? Outcome = null,
    string? Explanation = null,
    string? Effect = null,
    string? Municipality = null,
    DateOnly? Date = null,
    string? ServiceCode = null,
    decimal? Amount = null,
    string? Unit = null,
    int? Months = null,
    int? Before = null,
    int? After = null,
    string? IncidentId = null,
    string? Level = null,
    string? Reason = null,
    bool? Resolved = null,
    string? ExtraWorkId = null,
    string? ConsultationId = null,
    string? Period = null,
    decimal? Target = null);

/// <summary>How an event's data is written as JSON (camelCase, nulls left out), and read back by its type.</summary>
public static class EventData
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write<T>(T data) => System.Text.Json.JsonSerializer.Serialize(data, Options);

    /// <summary>The data of an arrangement-wide event; null for a complaint's.</summary>
    public static ArrangementEventData? Arrangement(PlatformEvent e) =>
        EventTypes.IsArrangementWide(e.Type) ? System.Text.Json.JsonSerializer.Deserialize<ArrangementEventData>(e.Data, Options) : null;

    public static ComplaintEventData? Complaint(PlatformEvent e) =>
        EventTypes.IsComplaint(e.Type) ? System.Text.Json.JsonSerializer.Deserialize<ComplaintEventData>(e.Data, Options) : null;

    public static OverdueSummaryData? OverdueSummary(PlatformEvent e) =>
        e.Type == EventTypes.OverdueWeeklySummary ? System.Text.Json.JsonSerializer.Deserialize<OverdueSummaryData>(e.Data, Options) : null;
}

/// <summary>The weekly list of one municipality's open complaints in one arrangement that passed their service-level date.</summary>
/// <param name="Week">The ISO week it was made in, e.g. <c>2026-W49</c>: with the arrangement and municipality, the event's id.</param>
/// <param name="Total">All such complaints; <see cref="Complaints"/> lists at most <see cref="MaxListed"/>, the oldest first.</param>
public sealed record OverdueSummaryData(
    string ArrangementId,
    string ArrangementName,
    string Municipality,
    string Week,
    int Total,
    IReadOnlyList<OverdueComplaint> Complaints)
{
    public const int MaxListed = 100;
}

public sealed record OverdueComplaint(string Id, string ServiceCode, string Status, DateOnly ResolveBy);
