using Platform.Grains.Hosting;
using Platform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformSilo();
builder.AddReadinessProbe("grain-storage", PlatformSilo.ProbeAsync);

var app = builder.Build();

app.UsePlatformWebSecurity(WebSecurity.ApiPolicy);
app.MapDefaultEndpoints();

app.Run();
