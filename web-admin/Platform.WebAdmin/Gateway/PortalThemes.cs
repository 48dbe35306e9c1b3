using System.Collections.Concurrent;

namespace Platform.WebAdmin.Gateway;

/// <summary>
/// Which look a municipality's portal pages wear (its admin's choice of NL Design System token set, read from the
/// gateway's public <c>municipality.portalTheme</c>), kept for a few seconds so that a page view asks once at most.
/// </summary>
public sealed class PortalThemes(TimeProvider time)
{
    public const string Neutral = "neutral";
    private static readonly HashSet<string> Hosted = ["utrecht", "amsterdam", "denhaag"];
    private static readonly TimeSpan Keep = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (string Theme, DateTimeOffset Until)> themes = new(StringComparer.Ordinal);

    /// <summary>The theme of <paramref name="municipality"/>: a hosted token set, or neutral (also when the gateway cannot say).</summary>
    public async Task<string> ThemeOfAsync(string municipality, GatewayClient gateway)
    {
        var now = time.GetUtcNow();
        if (themes.TryGetValue(municipality, out var kept) && kept.Until > now) return kept.Theme;
        string theme;
        try
        {
            var data = await gateway.QueryAsync("query($code: String!) { municipality(code: $code) { portalTheme } }", new { code = municipality });
            theme = data["municipality"]?["portalTheme"]?.GetValue<string>() is { } chosen && Hosted.Contains(chosen) ? chosen : Neutral;
        }
        catch (GatewayException)
        {
            return Neutral; // the page says what failed; it is not worth a theme
        }
        themes[municipality] = (theme, now + Keep);
        return theme;
    }

    /// <summary>The classes of the page's wrapper: Utrecht's tokens apply inside an element with <c>utrecht-theme</c>.</summary>
    public static string ClassesOf(string theme) => theme switch
    {
        Neutral => "portal",
        "utrecht" => "portal theme-utrecht utrecht-theme",
        _ => $"portal theme-{theme}",
    };
}
