using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Platform.WebAdmin.Gateway;

/// <summary>
/// How a municipality's portal looks: a hosted NL Design System token set, its own colours (checked for contrast by the
/// municipality when given), or neutral.
/// </summary>
public sealed partial record PortalLook(string Theme, string? Brand = null, string? BrandText = null, string? Accent = null)
{
    /// <summary>The municipality's name, for its logo's text alternative.</summary>
    public string? Name { get; init; }

    /// <summary>The logo's path on the gateway (with its version), when the municipality has one; shown whatever the theme.</summary>
    public string? LogoPath { get; init; }

    public static readonly PortalLook Neutral = new(PortalThemes.Neutral);

    [GeneratedRegex("^#[0-9a-fA-F]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex Hex();

    /// <summary>
    /// The custom look's colours as the portal's CSS variables; null for a token set (its file does that) or for colours
    /// that are not plain #rrggbb (never written into a page, whatever the gateway said).
    /// </summary>
    public string? Css => Theme == PortalThemes.Custom && new[] { Brand, BrandText, Accent }.All(c => c is not null && Hex().IsMatch(c))
        ? $".theme-custom {{ --platform-brand: {Brand}; --platform-brand-text: {BrandText}; --platform-link: {Accent}; --platform-action: {Accent}; --platform-action-text: #fff; }}"
        : null;
}

/// <summary>
/// Which look a municipality's portal pages wear (its admin's choice, read from the gateway's public
/// <c>municipality.portalTheme</c> and <c>portalColours</c>), kept for a few seconds so that a page view asks once at most.
/// </summary>
public sealed class PortalThemes(TimeProvider time)
{
    public const string Neutral = "neutral";
    public const string Custom = "custom";
    private static readonly HashSet<string> Hosted = ["utrecht", "amsterdam", "denhaag"];
    private static readonly TimeSpan Keep = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (PortalLook Look, DateTimeOffset Until)> looks = new(StringComparer.Ordinal);

    /// <summary>The look of <paramref name="municipality"/>: a hosted token set, its own colours, or neutral (also when the gateway cannot say).</summary>
    public async Task<PortalLook> LookOfAsync(string municipality, GatewayClient gateway)
    {
        var now = time.GetUtcNow();
        if (looks.TryGetValue(municipality, out var kept) && kept.Until > now) return kept.Look;
        PortalLook look;
        try
        {
            var details = (await gateway.QueryAsync<PortalLookAnswer>(Queries.Named("PortalLook"), new { code = municipality })).Municipality;
            var chosen = details?.PortalTheme;
            var colours = details?.PortalColours;
            look = chosen switch
            {
                not null when Hosted.Contains(chosen) => new PortalLook(chosen),
                Custom when colours is not null => new PortalLook(Custom, colours.Brand, colours.BrandText, colours.Accent),
                _ => PortalLook.Neutral,
            };
            if (look.Theme == Custom && look.Css is null) look = PortalLook.Neutral;
            // Only the gateway's own logo address is ever put into a page.
            var logo = details?.PortalLogo?.Url;
            look = look with
            {
                Name = details?.Name,
                LogoPath = logo is not null && logo.StartsWith($"/municipalities/{municipality}/logo?v=", StringComparison.Ordinal) ? logo : null,
            };
        }
        catch (GatewayException)
        {
            return PortalLook.Neutral; // the page says what failed; it is not worth a theme
        }
        looks[municipality] = (look, now + Keep);
        return look;
    }

    /// <summary>Drops what is kept for a municipality, so that its admin sees a change of its look at once.</summary>
    public void Forget(string municipality) => looks.TryRemove(municipality, out _);

    /// <summary>
    /// The classes of the page's wrapper. Utrecht's tokens (the components' base: sizes, spacing, form controls, focus) apply
    /// inside an element with <c>utrecht-theme</c>, on every portal; a theme other than Utrecht's puts its colours on them.
    /// </summary>
    public static string ClassesOf(string theme) => theme switch
    {
        Neutral => "portal utrecht-theme",
        _ => $"portal theme-{theme} utrecht-theme",
    };
}
