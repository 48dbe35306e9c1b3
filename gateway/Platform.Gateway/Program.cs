using Platform.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseCallerAndTenant();
app.MapDefaultEndpoints();
app.MapGraphQLApi();

app.Run();
