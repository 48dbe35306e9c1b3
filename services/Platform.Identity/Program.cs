using Platform.Identity;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServer();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapIdentityServer();

app.Run();
