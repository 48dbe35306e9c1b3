using Platform.Domain.Access;
using Platform.Domain.Proposals;
using Platform.Domain.Validation;

namespace Platform.Domain.Plans;

/// <summary>One saved text of a plan: each save that changes something is a new version, and every version is kept.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanVersion(
    [property: Id(0)] int Version,
    [property: Id(1)] string Title,
    [property: Id(2)] string Period,
    [property: Id(3)] string Text,
    [property: Id(4)] string? Note,
    [property: Id(5)] string SavedBy,
    [property: Id(6)] DateTimeOffset SavedAt);

/// <summary>
/// The executing organisation's plan of how it does the work (the *how* under the members' *what*), e.g. the gritting plan
/// for a winter: drafted in versions, then proposed for adoption as a PLAN_ADOPTION proposal, after which it is fixed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Plan(
    [property: Id(0)] int Number,
    [property: Id(1)] IReadOnlyList<PlanVersion> Versions,
    [property: Id(2)] string? ProposalId,
    [property: Id(3)] DateTimeOffset? ProposedAt)
{
    /// <summary>The version last saved (a method, so that it is not written with the state).</summary>
    public PlanVersion Latest() => Versions[^1];
}

/// <summary>A save as typed in, before it is checked.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanDraftInput(
    [property: Id(0)] string? Title,
    [property: Id(1)] string? Period,
    [property: Id(2)] string? Text,
    [property: Id(3)] string? Note);

public static class PlanRules
{
    public const int MaxPeriod = 40;
    /// <summary>Room for " (period)" in the proposal's title.</summary>
    public const int MaxTitle = ProposalRules.MaxTitleLength - MaxPeriod - 3;
    public const int MaxNote = 500;
    /// <summary>Versions kept per plan; a plan that needs more is a new plan.</summary>
    public const int MaxVersions = 200;
    public const int MaxPlans = 500;

    /// <summary>The executing organisation's staff draft and propose plans.</summary>
    public static Decision MayDraft(Caller caller, string executingOrganisation) =>
        ProposalPolicy.MayProposePlan(caller, executingOrganisation)
            ? Decision.Allow
            : Decision.Deny(caller, "Only the staff of the arrangement's executing organisation draft its plans; the members adopt them by vote.");

    /// <summary>What a save must have: a title and a text as long as a proposal's may be, a period (e.g. "winter 2026-2027").</summary>
    public static IReadOnlyList<RuleViolation> Validate(PlanDraftInput input)
    {
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "title", input.Title, MaxTitle);
        Rules.RequireText(errors, "period", input.Period, MaxPeriod);
        Rules.RequireText(errors, "text", input.Text, ProposalRules.MaxTextLength);
        Rules.OptionalText(errors, "note", input.Note, MaxNote);
        return errors;
    }

    /// <summary>
    /// The plan after a save: a new version when the title, period or text changed, the same plan when nothing did (a
    /// second click changes nothing), or a violation when the plan was proposed already or has no room for another version.
    /// </summary>
    public static (Plan? Plan, RuleViolation? Refused) Save(Plan? plan, int number, PlanDraftInput input, string by, DateTimeOffset at)
    {
        var title = input.Title!.Trim();
        var period = input.Period!.Trim();
        var text = input.Text!.Trim();
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (plan is null) return (new(number, [new(1, title, period, text, note, by, at)], null, null), null);
        if (plan.ProposalId is { } proposal)
        {
            return (null, new("number", ViolationCodes.IllegalTransition,
                $"Plan {plan.Number} was proposed for adoption ({proposal}) and is fixed now; draft a new plan for a change."));
        }
        var latest = plan.Latest();
        if (latest.Title == title && latest.Period == period && latest.Text == text) return (plan, null);
        if (plan.Versions.Count >= MaxVersions)
        {
            return (null, new("number", ViolationCodes.OutOfRange, $"Plan {plan.Number} has {MaxVersions} versions, the most kept; draft a new plan."));
        }
        return (plan with { Versions = [.. plan.Versions, new(latest.Version + 1, title, period, text, note, by, at)] }, null);
    }

    /// <summary>The proposal a plan becomes: its latest title (with the period) and text, the executing organisation's motivation.</summary>
    public static ProposedChange ToProposal(Plan plan, string? motivation, DateOnly? effectiveDate) =>
        new(ProposalKind.PlanAdoption, $"{plan.Latest().Title} ({plan.Latest().Period})", motivation, plan.Latest().Text, effectiveDate, null, null);
}
