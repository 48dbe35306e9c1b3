using Platform.Domain.Validation;

namespace Platform.Domain.Complaints;

public enum ComplaintStatus
{
    Submitted = 0,
    Acknowledged = 1,
    InProgress = 2,
    /// <summary>The executing organisation says it is fixed; the citizen has not confirmed yet.</summary>
    Resolved = 3,
    /// <summary>Confirmed by the citizen, or closed automatically some days after it was resolved.</summary>
    Closed = 4,
    /// <summary>Not the executing organisation's responsibility; carries a reason and a referral.</summary>
    Rejected = 5,
    /// <summary>The same issue as another complaint, to which it links.</summary>
    Duplicate = 6,
    /// <summary>The citizen says it is not fixed after all.</summary>
    Reopened = 7,
}

public enum ComplaintAction
{
    Acknowledge = 0,
    StartWork = 1,
    Resolve = 2,
    Confirm = 3,
    AutoClose = 4,
    Reopen = 5,
    Reject = 6,
    MarkDuplicate = 7,
}

/// <summary>How the caller relates to one complaint.</summary>
public enum ComplaintRole
{
    Other = 0,
    Author = 1,
    MunicipalityStaff = 2,
    ExecutorStaff = 3,
    System = 4,
}

[GenerateSerializer, Immutable]
public sealed record WorkflowSettings(
    [property: Id(0)] int AutoCloseAfterDays,
    [property: Id(1)] int ReopenWithinDays)
{
    public static WorkflowSettings Default { get; } = new(14, 30);
}

public sealed record TransitionRequest(
    ComplaintAction Action,
    ComplaintRole Role,
    string? Note = null,
    string? Reason = null,
    string? Referral = null,
    string? DuplicateOf = null);

/// <summary>
/// The complaint's state machine: who may take which step from which status. Honest end states:
/// "resolved" is the executing organisation's claim, "closed" needs the citizen (or time), and a
/// citizen may reopen for a while after either.
/// </summary>
public static class ComplaintWorkflow
{
    public const int MaxNoteLength = 2_000;

    /// <summary>Statuses in which the executing organisation still owes work (and service-level dates run).</summary>
    public static readonly IReadOnlySet<ComplaintStatus> Open = new HashSet<ComplaintStatus>
    {
        ComplaintStatus.Submitted, ComplaintStatus.Acknowledged, ComplaintStatus.InProgress, ComplaintStatus.Reopened,
    };

    /// <summary>The same, as the names the read model stores.</summary>
    public static readonly IReadOnlyList<string> OpenNames = Open.Select(s => s.ToString()).ToList();

    private sealed record Rule(ComplaintStatus[] From, ComplaintRole[] By, ComplaintStatus To);

    private static readonly Dictionary<ComplaintAction, Rule> Rules = new()
    {
        [ComplaintAction.Acknowledge] = new([ComplaintStatus.Submitted, ComplaintStatus.Reopened], [ComplaintRole.ExecutorStaff], ComplaintStatus.Acknowledged),
        [ComplaintAction.StartWork] = new([ComplaintStatus.Submitted, ComplaintStatus.Acknowledged, ComplaintStatus.Reopened], [ComplaintRole.ExecutorStaff], ComplaintStatus.InProgress),
        [ComplaintAction.Resolve] = new([ComplaintStatus.Submitted, ComplaintStatus.Acknowledged, ComplaintStatus.InProgress, ComplaintStatus.Reopened], [ComplaintRole.ExecutorStaff], ComplaintStatus.Resolved),
        [ComplaintAction.Confirm] = new([ComplaintStatus.Resolved], [ComplaintRole.Author], ComplaintStatus.Closed),
        [ComplaintAction.AutoClose] = new([ComplaintStatus.Resolved], [ComplaintRole.System], ComplaintStatus.Closed),
        [ComplaintAction.Reopen] = new([ComplaintStatus.Resolved, ComplaintStatus.Closed], [ComplaintRole.Author], ComplaintStatus.Reopened),
        [ComplaintAction.Reject] = new([ComplaintStatus.Submitted, ComplaintStatus.Acknowledged, ComplaintStatus.Reopened], [ComplaintRole.ExecutorStaff, ComplaintRole.MunicipalityStaff], ComplaintStatus.Rejected),
        [ComplaintAction.MarkDuplicate] = new([ComplaintStatus.Submitted, ComplaintStatus.Acknowledged, ComplaintStatus.InProgress, ComplaintStatus.Reopened], [ComplaintRole.ExecutorStaff, ComplaintRole.MunicipalityStaff], ComplaintStatus.Duplicate),
    };

    /// <summary>The actions <paramref name="role"/> may take now, for showing the right buttons.</summary>
    public static IReadOnlyList<ComplaintAction> Allowed(ComplaintStatus current, ComplaintRole role) =>
        Rules.Where(r => r.Value.From.Contains(current) && r.Value.By.Contains(role)).Select(r => r.Key).ToList();

    /// <param name="settledAt">When the complaint was last resolved or closed (for the reopen period and automatic closing).</param>
    public static (ComplaintStatus Next, RuleViolation? Error) Decide(
        ComplaintStatus current, TransitionRequest request, DateTimeOffset? settledAt, DateTimeOffset now, WorkflowSettings settings, string complaintId)
    {
        var rule = Rules[request.Action];
        if (!rule.By.Contains(request.Role))
        {
            return (current, new("action", ViolationCodes.Forbidden,
                $"{Describe(request.Role)} cannot {Verb(request.Action)} a complaint."));
        }
        if (!rule.From.Contains(current))
        {
            var possible = Allowed(current, request.Role);
            return (current, new("action", ViolationCodes.IllegalTransition,
                $"A complaint that is {Name(current)} cannot be {Past(request.Action)}; " +
                (possible.Count == 0 ? "you can take no step on it now." : $"possible now: {string.Join(", ", possible.Select(Verb))}.")));
        }
        if (request.Note is { Length: > MaxNoteLength })
        {
            return (current, new("note", ViolationCodes.TooLong, $"The note is {request.Note.Length} characters long; at most {MaxNoteLength} are allowed."));
        }
        var unreadable = new List<RuleViolation>();
        Platform.Domain.Validation.Rules.OptionalText(unreadable, "note", request.Note, MaxNoteLength);
        Platform.Domain.Validation.Rules.OptionalText(unreadable, "reason", request.Reason, MaxNoteLength);
        Platform.Domain.Validation.Rules.OptionalText(unreadable, "referral", request.Referral, MaxNoteLength);
        if (unreadable.Count > 0) return (current, unreadable[0]);
        switch (request.Action)
        {
            case ComplaintAction.Reject when string.IsNullOrWhiteSpace(request.Reason):
                return (current, new("reason", ViolationCodes.Required, "Say why the complaint is not yours to handle, so the citizen knows where to go."));
            case ComplaintAction.Reject when request.Reason!.Length > MaxNoteLength || request.Referral is { Length: > 200 }:
                return (current, new("reason", ViolationCodes.TooLong, "The reason (2,000) or the referral (200 characters) is too long."));
            case ComplaintAction.MarkDuplicate when string.IsNullOrWhiteSpace(request.DuplicateOf):
                return (current, new("duplicateOf", ViolationCodes.Required, "Name the complaint this one duplicates."));
            case ComplaintAction.MarkDuplicate when request.DuplicateOf == complaintId:
                return (current, new("duplicateOf", ViolationCodes.OutOfRange, "A complaint cannot duplicate itself."));
            case ComplaintAction.Reopen when settledAt is { } settled && now > settled.AddDays(settings.ReopenWithinDays):
                return (current, new("action", ViolationCodes.Expired,
                    $"A complaint can be reopened up to {settings.ReopenWithinDays} days after it was settled; that was on {settled:yyyy-MM-dd}. File a new complaint instead."));
            case ComplaintAction.AutoClose when settledAt is { } resolved && now < resolved.AddDays(settings.AutoCloseAfterDays):
                return (current, new("action", ViolationCodes.IllegalTransition, $"It closes by itself {settings.AutoCloseAfterDays} days after it was resolved, not before."));
        }
        return (rule.To, null);
    }

    private static string Name(ComplaintStatus status) => status switch
    {
        ComplaintStatus.InProgress => "in progress",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string Verb(ComplaintAction action) => action switch
    {
        ComplaintAction.StartWork => "start work on",
        ComplaintAction.MarkDuplicate => "mark as duplicate",
        ComplaintAction.AutoClose => "close automatically",
        _ => action.ToString().ToLowerInvariant(),
    };

    private static string Past(ComplaintAction action) => action switch
    {
        ComplaintAction.Acknowledge => "acknowledged",
        ComplaintAction.StartWork => "taken into work",
        ComplaintAction.Resolve => "resolved",
        ComplaintAction.Confirm => "confirmed",
        ComplaintAction.AutoClose => "closed automatically",
        ComplaintAction.Reopen => "reopened",
        ComplaintAction.Reject => "rejected",
        _ => "marked as duplicate",
    };

    private static string Describe(ComplaintRole role) => role switch
    {
        ComplaintRole.Author => "The citizen who filed it",
        ComplaintRole.MunicipalityStaff => "Municipal staff",
        ComplaintRole.ExecutorStaff => "The executing organisation",
        ComplaintRole.System => "The platform",
        _ => "Someone who is not involved",
    };
}
