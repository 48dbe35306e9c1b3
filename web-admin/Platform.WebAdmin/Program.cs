using Platform.ServiceDefaults.Security;
using Platform.WebAdmin;
using Platform.WebAdmin.Auth;
using Platform.WebAdmin.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}
// Complaint photos are served by the gateway: the only other origin a page may load from.
var gatewayOrigin = new Uri(app.Configuration["Platform:WebAdmin:GatewayUrl"] ?? "http://127.0.0.1:5080/graphql").GetLeftPart(UriPartial.Authority);
app.UsePlatformWebSecurity(WebSecurity.PagePolicy(gatewayOrigin));
// An unknown address gets the site's own 404 page (with a 404 status), not an empty answer.
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapAccountEndpoints();
app.MapRazorComponents<App>();

app.Run();
