using Platform.Grains.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformSilo();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
