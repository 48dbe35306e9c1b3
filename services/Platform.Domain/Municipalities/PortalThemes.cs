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

    public static IReadOnlyList<RuleViolation> Validate(string? theme) =>
        string.IsNullOrWhiteSpace(theme)
            ? [new("theme", ViolationCodes.Required, $"Name a theme: {string.Join(", ", Names)}.")]
            : Names.Contains(theme, StringComparer.Ordinal)
                ? []
                : [new("theme", ViolationCodes.InvalidFormat, $"'{(theme.Length > 40 ? theme[..40] + "…" : theme)}' is not a theme the portal has; choose {string.Join(", ", Names)}.")];
}
