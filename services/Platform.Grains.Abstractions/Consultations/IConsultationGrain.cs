using Orleans.Concurrency;
using Platform.Domain.Consultations;

namespace Platform.Grains.Consultations;

/// <summary>
/// One consultation between the parties of an arrangement: scheduled with its agenda, then held, with minutes, decisions
/// and action items that their owners mark done. Key: the consultation's id.
/// </summary>
[Alias("Platform.IConsultationGrain")]
public interface IConsultationGrain : IGrainWithStringKey
{
    [Alias("Schedule")]
    Task<CommandResult> ScheduleAsync(ScheduleConsultation command);

    /// <summary>Records the minutes once, with the decisions and action items.</summary>
    [Alias("RecordMinutes")]
    Task<CommandResult> RecordMinutesAsync(RecordMinutes command);

    [Alias("CompleteActionItem")]
    Task<CommandResult> CompleteActionItemAsync(int number);

    [Alias("View"), ReadOnly]
    Task<ConsultationView> ViewAsync();
}

[GenerateSerializer, Immutable]
public sealed record ScheduleConsultation(
    [property: Id(0)] string? ArrangementId,
    [property: Id(1)] ConsultationLevel Level,
    [property: Id(2)] string? Title,
    [property: Id(3)] DateTimeOffset ScheduledAt,
    [property: Id(4)] IReadOnlyList<string>? Agenda);

[GenerateSerializer, Immutable]
public sealed record RecordMinutes(
    [property: Id(0)] string? Minutes,
    [property: Id(1)] IReadOnlyList<string>? Decisions,
    [property: Id(2)] IReadOnlyList<ActionItemInput>? ActionItems);

[GenerateSerializer, Immutable]
public sealed record ConsultationSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string ArrangementId,
    [property: Id(2)] ConsultationLevel Level,
    [property: Id(3)] string Title,
    [property: Id(4)] DateTimeOffset ScheduledAt,
    [property: Id(5)] IReadOnlyList<string> Agenda,
    [property: Id(6)] ConsultationStatus Status,
    [property: Id(7)] string? Minutes,
    [property: Id(8)] IReadOnlyList<string> Decisions,
    [property: Id(9)] IReadOnlyList<ActionItem> ActionItems,
    [property: Id(10)] string ScheduledBy,
    [property: Id(11)] IReadOnlyList<string> Parties,
    [property: Id(12)] ConsultationCapabilities ViewerCan);

/// <summary>What the caller may do now: record the minutes, and which action items they may mark done.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsultationCapabilities(
    [property: Id(0)] bool RecordMinutes,
    [property: Id(1)] IReadOnlyList<int> CompleteActionItems);

[GenerateSerializer, Immutable]
public sealed record ConsultationView(
    [property: Id(0)] CommandResult Access,
    [property: Id(1)] ConsultationSnapshot? Consultation);
