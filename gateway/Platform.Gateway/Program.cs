using Platform.Gateway;
using Platform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UsePlatformWebSecurity(WebSecurity.ApiPolicy);
app.UseCallerAndTenant();
app.MapDefaultEndpoints();
app.MapGraphQLApi();

app.Run();
