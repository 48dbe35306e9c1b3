using Platform.Gateway;
using Platform.Gateway.GraphQL.Http;
using Platform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UsePlatformWebSecurity(WebSecurity.ApiPolicy);
app.UsePublicAnswers();
app.UseCallerAndTenant();
app.MapDefaultEndpoints();
app.MapGraphQLApi();

app.Run();
