using Platform.Domain.Validation;

namespace Platform.Domain.Arrangements;

public static class ArrangementRules
{
    public const int MaxNameLength = 150;
    public const int MaxMembers = 400;

    public static IReadOnlyList<RuleViolation> ValidateCreation(string? name, string? executingOrganisation, IReadOnlyList<ServiceDefinition> services)
    {
        var violations = new List<RuleViolation>();
        Rules.RequireText(violations, "name", name, MaxNameLength);
        Rules.RequireText(violations, "executingOrganisation", executingOrganisation, MaxNameLength);
        ServiceCatalogue.Validate(violations, services);
        return violations;
    }

    /// <summary>
    /// Checks that a member's membership may end on <paramref name="lastDay"/> (inclusive): it has not been given an end
    /// already, the day is not before the day it joined, and not in the past (an arrangement's record is not rewritten).
    /// </summary>
    public static IReadOnlyList<RuleViolation> ValidateMembershipEnd(string code, DateOnly? endsAlready, DateOnly joinedOn, DateOnly? lastDay, DateOnly today)
    {
        var violations = new List<RuleViolation>();
        if (endsAlready is { } end)
        {
            violations.Add(new("municipalityCode", ViolationCodes.Duplicate, $"The membership of {code} already ends on {end:yyyy-MM-dd}."));
        }
        else if (lastDay is not { } day)
        {
            violations.Add(new("lastDay", ViolationCodes.Required, "lastDay is required: the last day the municipality is a member."));
        }
        else if (day < joinedOn)
        {
            violations.Add(new("lastDay", ViolationCodes.OutOfRange, $"{code} joined on {joinedOn:yyyy-MM-dd}; its membership cannot end before that, on {day:yyyy-MM-dd}."));
        }
        else if (day < today)
        {
            violations.Add(new("lastDay", ViolationCodes.OutOfRange, $"{day:yyyy-MM-dd} has passed; a membership ends today ({today:yyyy-MM-dd}) at the earliest."));
        }
        return violations;
    }
}
