using System.Globalization;
using Microsoft.Extensions.FileProviders;

namespace Platform.WebAdmin;

/// <summary>
/// The <c>Platform:WebAdmin:Map</c> section: where the maps' tiles and the address search come from. The defaults are the
/// Dutch government's open services (PDOK): the BRT background map as WMTS tiles and the Locatieserver for addresses.
/// Leaflet itself is served by the web app (<c>/lib/leaflet</c>); a page's map is an enhancement over its address fields
/// and lists, which work without it.
/// </summary>
public sealed class MapSettings
{
    public const string Section = "Platform:WebAdmin:Map";

    /// <summary>A tile URL template ({z}/{x}/{y}) in Web Mercator; PDOK's BRT standard map by default.</summary>
    public string TileUrl { get; set; } = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png";

    public string Attribution { get; set; } = "Kaartgegevens © Kadaster (PDOK, BRT)";

    /// <summary>
    /// An address search answering as PDOK's Locatieserver <c>free</c> endpoint does (<c>?q=</c>, <c>response.docs</c> with
    /// <c>weergavenaam</c> and <c>centroide_ll</c>). Empty: no address search, only the fields.
    /// </summary>
    public string GeocoderUrl { get; set; } = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free";

    /// <summary>Optional: a folder of tiles ({z}/{x}/{y}.png) and fixtures served under <c>/map/local</c> (tests, or an offline site).</summary>
    public string? LocalFolder { get; set; }

    /// <summary>Where a map opens when nothing is placed yet (the middle of the Netherlands' west, zoomed out).</summary>
    public double CenterLatitude { get; set; } = 52.37;
    public double CenterLongitude { get; set; } = 4.90;
    public int Zoom { get; set; } = 12;

    /// <summary>The origin of an absolute URL, for the pages' Content-Security-Policy; null for the site's own paths.</summary>
    public static string? OriginOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>The attributes a page's map element carries for <c>/js/map.js</c> (no inline script is allowed).</summary>
    public IReadOnlyDictionary<string, object> DataAttributes(double? latitude = null, double? longitude = null) => new Dictionary<string, object>
    {
        ["data-tiles"] = TileUrl,
        ["data-attribution"] = Attribution,
        ["data-geocoder"] = GeocoderUrl,
        ["data-lat"] = (latitude ?? CenterLatitude).ToString(CultureInfo.InvariantCulture),
        ["data-lon"] = (longitude ?? CenterLongitude).ToString(CultureInfo.InvariantCulture),
        ["data-zoom"] = (latitude is null ? Zoom : 17).ToString(CultureInfo.InvariantCulture),
    };
}

public static class Maps
{
    public static IHostApplicationBuilder AddMaps(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MapSettings>().BindConfiguration(MapSettings.Section);
        return builder;
    }

    /// <summary>Leaflet from the build's node_modules, and the optional local folder of tiles and fixtures.</summary>
    public static WebApplication UseMaps(this WebApplication app)
    {
        var leaflet = Path.Combine(DesignTokens.ModulesFolder(app), "leaflet", "dist");
        if (Directory.Exists(leaflet))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(leaflet),
                RequestPath = "/lib/leaflet",
                OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=86400",
            });
        }
        else
        {
            app.Logger.LogWarning("Leaflet is not installed at {Folder}: pages show their address fields and lists without a map. Build the web app (it runs npm ci).", leaflet);
        }
        var settings = app.Configuration.GetSection(MapSettings.Section).Get<MapSettings>() ?? new MapSettings();
        if (settings.LocalFolder is { Length: > 0 } folder && Directory.Exists(folder))
        {
            var root = Path.GetFullPath(folder);
            // A tile the folder does not hold is its blank.png (an offline site holds the tiles of its own area only).
            app.MapGet("/map/local/tiles/{z:int}/{x:int}/{y:int}.png", (int z, int x, int y) =>
            {
                var tile = Path.Combine(root, "tiles", z.ToString(CultureInfo.InvariantCulture), x.ToString(CultureInfo.InvariantCulture), y.ToString(CultureInfo.InvariantCulture) + ".png");
                var blank = Path.Combine(root, "tiles", "blank.png");
                return File.Exists(tile) ? Results.File(tile, "image/png") : File.Exists(blank) ? Results.File(blank, "image/png") : Results.NotFound();
            });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(root),
                RequestPath = "/map/local",
                ServeUnknownFileTypes = false,
            });
        }
        return app;
    }
}
