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
