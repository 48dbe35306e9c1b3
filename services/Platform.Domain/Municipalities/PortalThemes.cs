using Platform.Domain.Validation;

namespace Platform.Domain.Municipalities;

/// <summary>
/// The look of a municipality's portal pages: one of the NL Design System token sets the web app hosts itself, or the
/// platform's own neutral look. Each set is a municipality's published design tokens (npm), mapped onto the portal's
/// colours with a contrast of at least 4.5:1 for text on them.
/// </summary>
public static class PortalThemes
{
    public const string Neutral = "neutral";

    /// <summary>
    /// The looks, by name: the platform's neutral look, Utrecht's, Amsterdam's and The Hague's tokens, and the
    /// municipality's own colours (<see cref="PortalColours"/>, chosen only once it has given them).
    /// </summary>
    public static readonly IReadOnlyList<string> Names = [Neutral, "utrecht", "amsterdam", "denhaag", PortalColours.Theme];

    /// <summary>The looks a municipality may choose now: its own colours only once it has given them.</summary>
    public static IReadOnlyList<string> Choosable(bool hasColours) =>
        hasColours ? Names : [.. Names.Where(n => n != PortalColours.Theme)];

    public static IReadOnlyList<RuleViolation> Validate(string? theme, bool hasColours)
    {
        if (string.IsNullOrWhiteSpace(theme)) return [new("theme", ViolationCodes.Required, $"Name a theme: {string.Join(", ", Choosable(hasColours))}.")];
        if (theme == PortalColours.Theme && !hasColours)
        {
            return [new("theme", ViolationCodes.InvalidFormat, "The municipality has no colours of its own yet; give them with setPortalColours.")];
        }
        return Names.Contains(theme, StringComparer.Ordinal)
            ? []
            : [new("theme", ViolationCodes.InvalidFormat, $"'{Rules.Echo(theme, 40)}' is not a theme the portal has; choose {string.Join(", ", Choosable(hasColours))}.")];
    }
}
