using Microsoft.Extensions.FileProviders;

namespace Platform.WebAdmin;

/// <summary>
/// The NL Design System (npm, installed by the build into <c>web-admin/design-tokens</c>), served by the web app itself:
/// the token sets at <c>/nlds/{set}/index.css</c> and Utrecht's component library at <c>/nlds/components/index.css</c>.
/// Every page loads the components and Utrecht's tokens (their base); the portal's theme files
/// (<c>wwwroot/themes/{set}.css</c>) import their own set and map its colours onto the portal's. Only each package's
/// <c>dist</c> folder is served.
/// </summary>
public static class DesignTokens
{
    public const string Setting = "Platform:WebAdmin:DesignTokensPath";

    private static readonly (string Set, string Package)[] Sets =
    [
        ("utrecht", "@utrecht/design-tokens"),
        ("amsterdam", "@amsterdam/design-system-tokens"),
        ("denhaag", "@gemeente-denhaag/design-tokens-components"),
        ("components", "@utrecht/component-library-css"),
    ];

    /// <summary>The node_modules folder the build installed (web-admin/design-tokens), or the configured one.</summary>
    public static string ModulesFolder(WebApplication app) =>
        app.Configuration[Setting] is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, "..", "design-tokens", "node_modules"));

    public static WebApplication UseDesignTokens(this WebApplication app)
    {
        var modules = ModulesFolder(app);
        foreach (var (set, package) in Sets)
        {
            var dist = Path.Combine(modules, package, "dist");
            if (!Directory.Exists(dist))
            {
                app.Logger.LogWarning("The token set {Set} is not installed at {Folder}: portals that chose it look neutral. Build the web app (it runs npm ci) or set {Setting}.", set, dist, Setting);
                continue;
            }
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(dist),
                RequestPath = "/nlds/" + set,
                OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=86400",
            });
        }
        return app;
    }
}
