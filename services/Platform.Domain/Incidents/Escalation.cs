using Platform.Domain.Access;
using Platform.Domain.Validation;

namespace Platform.Domain.Incidents;

/// <summary>
/// Where an incident is handled: first by the executing organisation's operations, then by the members' contract
/// managers, and at the top by the aldermen's committee (the aldermen of the member municipalities).
/// </summary>
public enum EscalationLevel
{
    Operations = 0,
    ContractManagers = 1,
    AldermenCommittee = 2,
}

/// <summary>Why an incident came to a level.</summary>
public enum EscalationReason
{
    /// <summary>It was reported here.</summary>
    Reported = 0,

    /// <summary>The level below did not decide before its deadline: it moved up by itself.</summary>
    DeadlinePassed = 1,

    /// <summary>Someone raised it one step.</summary>
    Raised = 2,

    /// <summary>It was marked political: the aldermen are brought in at once.</summary>
    Political = 3,
}

public enum IncidentStatus
{
    Open = 0,
    Resolved = 1,
}

/// <summary>How long each level has to decide before the incident moves up by itself; the committee has no deadline above it.</summary>
[GenerateSerializer, Immutable]
public sealed record EscalationDeadlines(
    [property: Id(0)] TimeSpan Operations,
    [property: Id(1)] TimeSpan ContractManagers)
{
    /// <summary>Four hours for operations (a winter night's shift), a day for the contract managers.</summary>
    public static EscalationDeadlines Default { get; } = new(TimeSpan.FromHours(4), TimeSpan.FromHours(24));

    public TimeSpan? For(EscalationLevel level) => level switch
    {
        EscalationLevel.Operations => Operations,
        EscalationLevel.ContractManagers => ContractManagers,
        _ => null,
    };
}

/// <summary>One level an incident reached: when, why, by whom, until when it had to decide, and what it decided.</summary>
[GenerateSerializer, Immutable]
public sealed record EscalationStep(
    [property: Id(0)] EscalationLevel Level,
    [property: Id(1)] DateTimeOffset EnteredAt,
    [property: Id(2)] EscalationReason Reason,
    [property: Id(3)] string By,
    [property: Id(4)] DateTimeOffset? DecideBy,
    [property: Id(5)] string? Decision = null,
    [property: Id(6)] string? DecidedBy = null,
    [property: Id(7)] DateTimeOffset? DecidedAt = null,
    [property: Id(8)] string? Note = null)
{
    public bool Decided => Decision is not null;
}

/// <summary>The escalation rules, pure: who reports, who decides at which level, where a raise may go, when a level's time is up.</summary>
public static class Escalation
{
    public const int MaxTitle = 200;
    public const int MaxText = 4_000;
    public const string SkipsAStep = "SKIPS_A_STEP";

    public static IReadOnlyList<RuleViolation> ValidateReport(string? title, string? description)
    {
        var violations = new List<RuleViolation>();
        Rules.RequireText(violations, "title", title, MaxTitle);
        Rules.RequireText(violations, "description", description, MaxText);
        return violations;
    }

    public static IReadOnlyList<RuleViolation> ValidateText(string field, string? text)
    {
        var violations = new List<RuleViolation>();
        Rules.RequireText(violations, field, text, MaxText);
        return violations;
    }

    /// <summary>The first level: the committee at once for a political incident, else operations.</summary>
    public static EscalationLevel FirstLevel(bool political) => political ? EscalationLevel.AldermenCommittee : EscalationLevel.Operations;

    /// <summary>Until when a level entered at <paramref name="since"/> may decide; null at the top.</summary>
    public static DateTimeOffset? DecideBy(EscalationLevel level, DateTimeOffset since, EscalationDeadlines deadlines) =>
        deadlines.For(level) is { } span ? since + span : null;

    /// <summary>
    /// Where a raise from <paramref name="current"/> to <paramref name="requested"/> goes: one step up, or straight to the
    /// committee when the incident is marked political. Never down, never past the top, never over a step.
    /// </summary>
    public static RuleViolation? CheckRaise(EscalationLevel current, EscalationLevel requested, bool political)
    {
        if (requested <= current)
        {
            return new("to", ViolationCodes.IllegalTransition, $"The incident is at {Name(current)} already; it can only move up, to {(current == EscalationLevel.AldermenCommittee ? "nothing higher" : Name(current + 1))}.");
        }
        if (political && requested == EscalationLevel.AldermenCommittee) return null;
        if (requested > current + 1)
        {
            return new("to", SkipsAStep, $"From {Name(current)} an incident moves to {Name(current + 1)} first; only a political incident goes to {Name(EscalationLevel.AldermenCommittee)} at once.");
        }
        return null;
    }

    /// <summary>The level an open, undecided incident moves to by itself at <paramref name="now"/>, or null.</summary>
    public static EscalationLevel? DueEscalation(IncidentStatus status, EscalationStep current, DateTimeOffset now) =>
        status == IncidentStatus.Open && !current.Decided && current.DecideBy is { } by && now >= by && current.Level < EscalationLevel.AldermenCommittee
            ? current.Level + 1
            : null;

    public static string Name(EscalationLevel level) => level switch
    {
        EscalationLevel.Operations => "operations",
        EscalationLevel.ContractManagers => "the contract managers",
        _ => "the aldermen's committee",
    };

    /// <summary>The executing organisation's staff (it runs the service) or a member's contract manager reports an incident.</summary>
    public static Decision MayReport(Caller caller, string executingOrganisation, IReadOnlyCollection<string> members)
    {
        if (caller.Kind == CallerKind.System) return Decision.Allow;
        if (caller.IsExecutorStaff && caller.Organisation == executingOrganisation) return Decision.Allow;
        if (caller.HasRole(Roles.ContractManager) && caller.ActsForAny(members)) return Decision.Allow;
        return Decision.Deny(caller, "Only the executing organisation's staff or a member's contract manager reports an incident in this arrangement.");
    }

    /// <summary>Who decides at a level: operations (the executing organisation's staff), a member's contract manager, a member's alderman.</summary>
    public static Decision MayDecide(Caller caller, EscalationLevel level, string executingOrganisation, IReadOnlyCollection<string> members)
    {
        if (caller.Kind == CallerKind.System) return Decision.Allow;
        var allowed = level switch
        {
            EscalationLevel.Operations => caller.IsExecutorStaff && caller.Organisation == executingOrganisation,
            EscalationLevel.ContractManagers => caller.HasRole(Roles.ContractManager) && caller.ActsForAny(members),
            _ => caller.HasRole(Roles.Alderman) && caller.ActsForAny(members),
        };
        return allowed ? Decision.Allow : Decision.Deny(caller, $"At {Name(level)} only {Who(level)} decide.");
    }

    /// <summary>
    /// Raising is for those at the current level (they pass it up) and for the members' contract managers and
    /// aldermen (they pull it up); anyone who may report may mark it political.
    /// </summary>
    public static Decision MayRaise(Caller caller, EscalationLevel current, string executingOrganisation, IReadOnlyCollection<string> members)
    {
        if (MayDecide(caller, current, executingOrganisation, members).Allowed) return Decision.Allow;
        if ((caller.HasRole(Roles.ContractManager) || caller.HasRole(Roles.Alderman)) && caller.ActsForAny(members)) return Decision.Allow;
        return Decision.Deny(caller, $"Only {Who(current)}, or a member's contract manager or alderman, raises an incident at {Name(current)}.");
    }

    private static string Who(EscalationLevel level) => level switch
    {
        EscalationLevel.Operations => "the executing organisation's staff",
        EscalationLevel.ContractManagers => "the members' contract managers",
        _ => "the members' aldermen",
    };
}
