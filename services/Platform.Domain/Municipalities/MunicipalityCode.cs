using System.Text.RegularExpressions;

namespace Platform.Domain.Municipalities;

/// <summary>
/// The CBS code that identifies a Dutch municipality: "GM" and four digits, e.g. GM0363 for Amsterdam.
/// </summary>
public static partial class MunicipalityCode
{
    [GeneratedRegex("^GM[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Upper-cases and trims, so that "gm0363 " and "GM0363" are the same tenant.</summary>
    public static string Normalize(string? code) => (code ?? string.Empty).Trim().ToUpperInvariant();

    public static bool IsValid(string? code) => code is not null && Pattern().IsMatch(code);
}
