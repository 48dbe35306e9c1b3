using Platform.ServiceDefaults.Security;
using Platform.WebAdmin;
using Platform.WebAdmin.Auth;
using Platform.WebAdmin.Components;
using Platform.WebAdmin.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddMaps();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}
// Complaint photos are shown from the gateway and from the photo storage's own links (short-lived SAS URLs): the only
// other origins a page may load images from. Platform:WebAdmin:PhotoOrigins lists the storage's blob endpoint(s).
var gatewayOrigin = new Uri(app.Configuration["Platform:WebAdmin:GatewayUrl"] ?? "http://127.0.0.1:5080/graphql").GetLeftPart(UriPartial.Authority);
var photoOrigins = app.Configuration.GetSection("Platform:WebAdmin:PhotoOrigins").Get<string[]>() ?? ["http://127.0.0.1:10000"];
// The maps' tiles and address search may come from their own hosts (PDOK by default; the site itself in tests).
var map = app.Configuration.GetSection(MapSettings.Section).Get<MapSettings>() ?? new MapSettings();
app.UsePlatformWebSecurity(WebSecurity.PagePolicy(
    [gatewayOrigin, .. photoOrigins, .. new[] { MapSettings.OriginOf(map.TileUrl) }.OfType<string>()],
    new[] { MapSettings.OriginOf(map.GeocoderUrl) }.OfType<string>()));
app.UseDesignTokens();
app.UseMaps();
// An unknown address gets the site's own 404 page (with a 404 status), not an empty answer.
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapAccountEndpoints();
app.MapUnsubscribeEndpoint();
app.MapExportEndpoint();
app.MapRazorComponents<App>();

app.Run();
