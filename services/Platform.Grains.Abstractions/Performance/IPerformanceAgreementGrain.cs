using Orleans.Concurrency;
using Platform.Domain.Performance;

namespace Platform.Grains.Performance;

/// <summary>
/// An arrangement's performance agreements: output indicators under outcome goals, provisional until an adopted proposal
/// makes them definitive, and each period's figure compared with its target when it arrives. Key: the arrangement's id.
/// </summary>
[Alias("Platform.IPerformanceAgreementGrain")]
public interface IPerformanceAgreementGrain : IGrainWithStringKey
{
    /// <summary>A member's contract manager or admin adds an indicator, while the agreements are provisional.</summary>
    [Alias("DefineIndicator")]
    Task<CommandResult> DefineIndicatorAsync(IndicatorInput input);

    /// <summary>Takes out an indicator that has no figures yet, while the agreements are provisional.</summary>
    [Alias("RemoveIndicator")]
    Task<CommandResult> RemoveIndicatorAsync(string? indicatorKey);

    /// <summary>The executing organisation reports a period's figure, once, in the indicator's unit, while the period is open.</summary>
    [Alias("Report")]
    Task<CommandResult> ReportAsync(ReportFigure command);

    /// <summary>Makes the agreements definitive by an adopted proposal of the arrangement that has taken effect.</summary>
    [Alias("MakeDefinitive")]
    Task<CommandResult> MakeDefinitiveAsync(string? proposalId);

    /// <summary>Measures the complaint-based indicators for the periods that have ended (the reminder calls it daily).</summary>
    [Alias("Tick")]
    Task TickAsync();

    [Alias("View"), ReadOnly]
    Task<PerformanceView> ViewAsync();
}

[GenerateSerializer, Immutable]
public sealed record ReportFigure(
    [property: Id(0)] string? IndicatorKey,
    [property: Id(1)] string? Period,
    [property: Id(2)] decimal? Value,
    [property: Id(3)] string? Unit,
    [property: Id(4)] string? Note,
    [property: Id(5)] IReadOnlyList<MemberFigureInput>? Members = null);

[GenerateSerializer, Immutable]
public sealed record PerformanceSnapshot(
    [property: Id(0)] string ArrangementId,
    [property: Id(1)] AgreementStatus Status,
    [property: Id(2)] IReadOnlyList<Indicator> Indicators,
    [property: Id(3)] IReadOnlyList<IndicatorFigure> Figures,
    [property: Id(4)] DateTimeOffset? DefinitiveAt,
    [property: Id(5)] string? DefinitiveBy,
    [property: Id(6)] IReadOnlyList<string> Members,
    [property: Id(7)] PerformanceCapabilities ViewerCan);

/// <summary>What the caller may do now with the agreements.</summary>
[GenerateSerializer, Immutable]
public sealed record PerformanceCapabilities(
    [property: Id(0)] bool DefineIndicators,
    [property: Id(1)] bool Report,
    [property: Id(2)] bool MakeDefinitive);

[GenerateSerializer, Immutable]
public sealed record PerformanceView(
    [property: Id(0)] CommandResult Access,
    [property: Id(1)] PerformanceSnapshot? Agreement);
