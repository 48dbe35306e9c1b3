using Orleans.Concurrency;
using Platform.Domain.Incidents;

namespace Platform.Grains.Incidents;

/// <summary>
/// One incident in an arrangement (the salt ran out): reported, decided at its level, and moved up a level by
/// itself when a level lets its deadline pass. Key: the incident id.
/// </summary>
[Alias("Platform.IIncidentGrain")]
public interface IIncidentGrain : IGrainWithStringKey
{
    [Alias("Report")]
    Task<CommandResult> ReportAsync(ReportIncident command);

    /// <summary>Moves the incident up to <paramref name="to"/>: one step, or straight to the committee with <paramref name="political"/>.</summary>
    [Alias("Raise")]
    Task<CommandResult> RaiseAsync(EscalationLevel to, string? note, bool political);

    /// <summary>Records the decision of the current level; <paramref name="resolves"/> closes the incident.</summary>
    [Alias("Decide")]
    Task<CommandResult> DecideAsync(string? decision, bool resolves);

    /// <summary>What the deadline reminder runs: moves an undecided level up once its time is up. Idempotent.</summary>
    [Alias("Tick")]
    Task TickAsync();

    /// <summary>The incident for those who may see it (the executing organisation's and the members' people, operators).</summary>
    [Alias("View"), ReadOnly]
    Task<IncidentView> ViewAsync();
}

[GenerateSerializer, Immutable]
public sealed record ReportIncident(
    [property: Id(0)] string? ArrangementId,
    [property: Id(1)] string? Title,
    [property: Id(2)] string? Description,
    [property: Id(3)] bool Political);

[GenerateSerializer, Immutable]
public sealed record IncidentSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string ArrangementId,
    [property: Id(2)] string Title,
    [property: Id(3)] string Description,
    [property: Id(4)] bool Political,
    [property: Id(5)] IncidentStatus Status,
    [property: Id(6)] EscalationLevel Level,
    [property: Id(7)] IReadOnlyList<EscalationStep> Steps,
    [property: Id(8)] string ReportedBy,
    [property: Id(9)] DateTimeOffset ReportedAt,
    [property: Id(10)] IncidentCapabilities ViewerCan);

/// <summary>What the caller may do with the incident now, decided by the grain.</summary>
[GenerateSerializer, Immutable]
public sealed record IncidentCapabilities(
    [property: Id(0)] bool Decide,
    [property: Id(1)] bool Raise);

[GenerateSerializer, Immutable]
public sealed record IncidentView(
    [property: Id(0)] CommandResult Access,
    [property: Id(1)] IncidentSnapshot? Incident);
