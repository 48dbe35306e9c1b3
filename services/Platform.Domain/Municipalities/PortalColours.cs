using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Domain.Validation;

namespace Platform.Domain.Municipalities;

/// <summary>
/// A municipality's own colours for its portal, instead of a published token set: the header's background and text, and
/// the accent of links and buttons (on the pages' white, and with white text on buttons). Each pair that is read on the
/// other must reach WCAG 2.2's 4.5:1 for text before the colours are accepted.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PortalColours(
    [property: Id(0)] string Brand,
    [property: Id(1)] string BrandText,
    [property: Id(2)] string Accent)
{
    /// <summary>The theme name a portal with its own colours wears.</summary>
    public const string Theme = "custom";

    /// <summary>WCAG's minimum for text (1.4.3 AA), which the header's text, links and button labels are.</summary>
    public const double MinimumContrast = 4.5;

    public const string PageBackground = "#ffffff";

    /// <summary>The colours as given, in lower case (#1a2b3c).</summary>
    public PortalColours Normalized() => new(Brand.Trim().ToLowerInvariant(), BrandText.Trim().ToLowerInvariant(), Accent.Trim().ToLowerInvariant());
}

public static partial class PortalColourRules
{
    [GeneratedRegex("^#[0-9a-fA-F]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex Hex();

    /// <summary>
    /// WCAG 2.x contrast ratio of two #rrggbb colours: (L1 + 0.05) / (L2 + 0.05) with L the relative luminance of the
    /// lighter and the darker; from 1 (the same) to 21 (black on white).
    /// </summary>
    public static double ContrastRatio(string first, string second)
    {
        var (a, b) = (Luminance(first), Luminance(second));
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    /// <summary>The relative luminance of a #rrggbb colour (sRGB, WCAG 2.x's definition).</summary>
    public static double Luminance(string hex)
    {
        static double Channel(string hex, int at)
        {
            var c = int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(hex, 1) + 0.7152 * Channel(hex, 3) + 0.0722 * Channel(hex, 5);
    }

    /// <summary>What is wrong with the colours: a missing or malformed colour by field, then each pair below 4.5:1 with its ratio.</summary>
    public static IReadOnlyList<RuleViolation> Validate(PortalColours? colours)
    {
        if (colours is null) return [new("colours", ViolationCodes.Required, "Give the brand, brand text and accent colours.")];
        var errors = new List<RuleViolation>();
        foreach (var (field, value) in new[] { ("brand", colours.Brand), ("brandText", colours.BrandText), ("accent", colours.Accent) })
        {
            if (string.IsNullOrWhiteSpace(value)) errors.Add(new(field, ViolationCodes.Required, $"Give the {field} colour as #rrggbb, e.g. #154273."));
            else if (!Hex().IsMatch(value.Trim())) errors.Add(new(field, ViolationCodes.InvalidFormat, $"'{(value.Length > 20 ? value[..20] + "…" : value)}' is not a colour as #rrggbb (e.g. #154273)."));
        }
        if (errors.Count > 0) return errors;
        var c = colours.Normalized();
        Pair(errors, "brandText", c.BrandText, c.Brand, "the header's text on its background");
        Pair(errors, "accent", c.Accent, PortalColours.PageBackground, "links and button borders on the white page (and white button text on it)");
        return errors;
    }

    private static void Pair(List<RuleViolation> errors, string field, string foreground, string background, string what)
    {
        var ratio = ContrastRatio(foreground, background);
        if (ratio < PortalColours.MinimumContrast)
        {
            errors.Add(new(field, ViolationCodes.InsufficientContrast,
                string.Create(CultureInfo.InvariantCulture, $"{foreground} on {background} ({what}) has a contrast of {Math.Floor(ratio * 100) / 100:0.00}:1; it needs at least {PortalColours.MinimumContrast}:1.")));
        }
    }
}
