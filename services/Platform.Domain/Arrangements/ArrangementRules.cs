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
}
