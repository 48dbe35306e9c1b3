using System.Text.RegularExpressions;
using Platform.Domain.ServiceLevels;
using Platform.Domain.Validation;

namespace Platform.Domain.Arrangements;

/// <summary>
/// A service the executing organisation delivers under the arrangement, e.g. "bouwpuin", with the
/// service level it promised for complaints about it (the default when none was agreed).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ServiceDefinition(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] Platform.Domain.ServiceLevels.ServiceLevel? Level = null,
    [property: Id(3)] string? NameEn = null)
{
    /// <summary>The name in a language: English when asked and given, else the (Dutch) name the arrangement uses.</summary>
    public string NameIn(string? language) => language == "en" && !string.IsNullOrWhiteSpace(NameEn) ? NameEn : Name;

    public Platform.Domain.ServiceLevels.ServiceLevel ServiceLevel => Level ?? Platform.Domain.ServiceLevels.ServiceLevel.Default;
}

public static partial class ServiceCatalogue
{
    public const int MaxServices = 100;
    public const int MaxNameLength = 100;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    public static void Validate(ICollection<RuleViolation> violations, IReadOnlyList<ServiceDefinition> services)
    {
        if (services.Count > MaxServices)
        {
            violations.Add(new("services", ViolationCodes.TooLong, $"services holds {services.Count} entries; at most {MaxServices} are allowed."));
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < services.Count; i++)
        {
            var s = services[i];
            if (!CodePattern().IsMatch(s.Code ?? string.Empty))
            {
                violations.Add(new($"services[{i}].code", ViolationCodes.InvalidFormat,
                    $"'{s.Code}' is not a service code; use 1 to 40 lower-case letters, digits or hyphens, e.g. 'bouwpuin'."));
            }
            else if (!seen.Add(s.Code!))
            {
                violations.Add(new($"services[{i}].code", ViolationCodes.Duplicate, $"The service code '{s.Code}' appears more than once."));
            }
            Rules.RequireText(violations, $"services[{i}].name", s.Name, MaxNameLength);
            if (s.NameEn is { Length: > MaxNameLength })
            {
                violations.Add(new($"services[{i}].nameEn", ViolationCodes.TooLong, $"The English name is at most {MaxNameLength} characters."));
            }
            if (s.Level is { } level) ServiceLevelRules.Validate(violations, $"services[{i}].serviceLevel", level);
        }
    }
}
