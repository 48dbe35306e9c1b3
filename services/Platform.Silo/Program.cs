using Platform.Grains.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformSilo();
builder.AddReadinessProbe("grain-storage", PlatformSilo.ProbeAsync);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
