using Orleans.Concurrency;
using Platform.Domain.Plans;

namespace Platform.Grains.Plans;

/// <summary>
/// An arrangement's plans: the executing organisation drafts each (e.g. the winter's gritting plan) in versions and proposes
/// it for adoption, after which it is fixed and the proposal's vote decides it. Its parties read them. Key: the arrangement's id.
/// </summary>
[Alias("Platform.IPlansGrain")]
public interface IPlansGrain : IGrainWithStringKey
{
    /// <summary>Saves a draft: a new plan when <paramref name="number"/> is null; answers the plan's key ("arrangement/number").</summary>
    [Alias("SaveDraft")]
    Task<CommandResult> SaveDraftAsync(int? number, PlanDraftInput input);

    /// <summary>
    /// Proposes the plan's latest version for adoption (a PLAN_ADOPTION proposal by the caller, citing complaints as
    /// <paramref name="evidence"/> if given); answers the plan's key.
    /// </summary>
    [Alias("Propose")]
    Task<CommandResult> ProposeAsync(int number, string? motivation, DateOnly? effectiveDate, Platform.Domain.Proposals.EvidencePeriod? evidence = null);

    [Alias("View"), ReadOnly]
    Task<PlansView> ViewAsync();
}

/// <summary>Where a plan stands: a draft, proposed and being decided, or decided (the proposal's outcome).</summary>
public enum PlanStatus
{
    Draft = 0,
    Proposed = 1,
    Adopted = 2,
    Rejected = 3,
    NoQuorum = 4,
}

[GenerateSerializer, Immutable]
public sealed record PlanSnapshot(
    [property: Id(0)] string ArrangementId,
    [property: Id(1)] Plan Plan,
    [property: Id(2)] PlanStatus Status,
    [property: Id(3)] bool ViewerCanEdit);

[GenerateSerializer, Immutable]
public sealed record PlansSnapshot(
    [property: Id(0)] string ArrangementId,
    [property: Id(1)] IReadOnlyList<PlanSnapshot> Plans,
    [property: Id(2)] bool ViewerCanDraft);

[GenerateSerializer, Immutable]
public sealed record PlansView(
    [property: Id(0)] CommandResult Access,
    [property: Id(1)] PlansSnapshot? Plans);

public static class PlanKeys
{
    /// <summary>A plan's key: its arrangement's id and its number, e.g. gladheid-amstelland/2.</summary>
    public static string Of(string arrangementId, int number) => $"{arrangementId}/{number}";

    public static (string ArrangementId, int Number)? Parse(string? key) =>
        key?.Split('/') is [{ Length: > 0 } arrangement, var n] && int.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? (arrangement, number)
            : null;
}
