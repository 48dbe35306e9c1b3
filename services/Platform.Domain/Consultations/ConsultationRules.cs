using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.Validation;

namespace Platform.Domain.Consultations;

/// <summary>The level a consultation steers at: daily operations, the contract (tactical), or policy (strategic).</summary>
public enum ConsultationLevel
{
    Operational = 0,
    Tactical = 1,
    Strategic = 2,
}

public enum ConsultationStatus
{
    Scheduled = 0,
    /// <summary>Its minutes, decisions and action items are recorded.</summary>
    Held = 1,
}

/// <summary>An agreement from a meeting: what, which party does it, by when, and when it was done.</summary>
[GenerateSerializer, Immutable]
public sealed record ActionItem(
    [property: Id(0)] int Number,
    [property: Id(1)] string Text,
    [property: Id(2)] string Owner,
    [property: Id(3)] DateOnly Due,
    [property: Id(4)] DateTimeOffset? DoneAt = null,
    [property: Id(5)] string? DoneBy = null)
{
    public bool Done => DoneAt is not null;

    /// <summary>Not done, and its due date has passed (Amsterdam's today is after it).</summary>
    public bool OverdueOn(DateOnly today) => !Done && today > Due;
}

/// <summary>An action item as typed into the minutes, before it is checked.</summary>
[GenerateSerializer, Immutable]
public sealed record ActionItemInput(
    [property: Id(0)] string? Text,
    [property: Id(1)] string? Owner,
    [property: Id(2)] DateOnly? Due);

/// <summary>An action item of an earlier consultation, as the next agenda lists it.</summary>
public sealed record CarriedActionItem(string ConsultationId, string ConsultationTitle, DateTimeOffset HeldAt, ActionItem Item);

/// <summary>The rules of consultations, pure: who organises and sees them, what minutes must hold, which agreements were not kept.</summary>
public static class ConsultationRules
{
    public const int MaxTitle = 200;
    public const int MaxLine = 1_000;
    public const int MaxMinutes = 20_000;
    public const int MaxLines = 50;

    /// <summary>The executing organisation's people and the members' contract managers and admins schedule consultations and record their minutes.</summary>
    public static Decision MayOrganise(Caller caller, string executingOrganisation, IReadOnlyCollection<string> members) =>
        caller.IsExecutorStaff && caller.Organisation == executingOrganisation
        || (caller.HasRole(Roles.ContractManager) || caller.HasRole(Roles.MunicipalityAdmin)) && caller.ActsForAny(members)
            ? Decision.Allow
            : Decision.Deny(caller, "Only the executing organisation's staff or a member's contract manager or admin organises the arrangement's consultations.");

    /// <summary>An action item is marked done by the people of the party that owns it.</summary>
    public static Decision MayComplete(Caller caller, string owner) =>
        caller.Kind == CallerKind.User && caller.Organisation == owner && !caller.HasRole(Roles.Citizen)
            ? Decision.Allow
            : Decision.Deny(caller, $"Only the people of {owner}, which owns this action item, mark it done.");

    public static IReadOnlyList<RuleViolation> ValidateSchedule(string? title, DateTimeOffset scheduledAt, DateTimeOffset now, IReadOnlyList<string>? agenda)
    {
        var violations = new List<RuleViolation>();
        Rules.RequireText(violations, "title", title, MaxTitle);
        if (scheduledAt < now.AddDays(-1)) violations.Add(new("scheduledAt", ViolationCodes.OutOfRange, "A consultation is scheduled from today on; record an earlier meeting with today's date."));
        else if (scheduledAt > now.AddYears(2)) violations.Add(new("scheduledAt", ViolationCodes.OutOfRange, "A consultation is scheduled at most two years ahead."));
        Lines(violations, "agenda", agenda);
        return violations;
    }

    /// <summary>
    /// Minutes: the text, the decisions, and action items each with a text, an owner that is a party of the arrangement,
    /// and a due date not before the meeting.
    /// </summary>
    public static IReadOnlyList<RuleViolation> ValidateMinutes(string? minutes, IReadOnlyList<string>? decisions, IReadOnlyList<ActionItemInput>? items,
        DateOnly meetingDate, IReadOnlyCollection<string> parties)
    {
        var violations = new List<RuleViolation>();
        Rules.RequireText(violations, "minutes", minutes, MaxMinutes);
        Lines(violations, "decisions", decisions);
        items ??= [];
        if (items.Count > MaxLines) violations.Add(new("actionItems", ViolationCodes.OutOfRange, $"At most {MaxLines} action items; got {items.Count}."));
        for (var i = 0; i < items.Count && i < MaxLines; i++)
        {
            var at = $"actionItems[{i}]";
            Rules.RequireText(violations, $"{at}.text", items[i].Text, MaxLine);
            if (string.IsNullOrWhiteSpace(items[i].Owner)) violations.Add(new($"{at}.owner", ViolationCodes.Required, "Every action item has an owner: a member municipality or the executing organisation."));
            else if (!parties.Contains(items[i].Owner!.Trim())) violations.Add(new($"{at}.owner", ViolationCodes.NotFound, $"'{items[i].Owner}' is not a party of this arrangement (its members and its executing organisation)."));
            if (items[i].Due is not { } due) violations.Add(new($"{at}.due", ViolationCodes.Required, "Every action item has a due date."));
            else if (due < meetingDate) violations.Add(new($"{at}.due", ViolationCodes.InvalidPeriod, $"The due date {due:yyyy-MM-dd} is before the meeting of {meetingDate:yyyy-MM-dd}."));
        }
        return violations;
    }

    /// <summary>
    /// The agreements not kept since earlier meetings, for the agenda of a meeting on <paramref name="meetingDate"/>: action items
    /// of meetings held before it that are still open and were due before that date, oldest due first.
    /// </summary>
    public static IReadOnlyList<CarriedActionItem> NotKept(IEnumerable<CarriedActionItem> earlier, DateOnly meetingDate) =>
        [.. earlier.Where(c => !c.Item.Done && c.Item.Due < meetingDate && AmsterdamCalendar.DateOf(c.HeldAt) < meetingDate)
            .OrderBy(c => c.Item.Due).ThenBy(c => c.ConsultationId, StringComparer.Ordinal).ThenBy(c => c.Item.Number)];

    private static void Lines(List<RuleViolation> violations, string field, IReadOnlyList<string>? lines)
    {
        lines ??= [];
        if (lines.Count > MaxLines) violations.Add(new(field, ViolationCodes.OutOfRange, $"At most {MaxLines} lines; got {lines.Count}."));
        for (var i = 0; i < lines.Count && i < MaxLines; i++) Rules.RequireText(violations, $"{field}[{i}]", lines[i], MaxLine);
    }
}
