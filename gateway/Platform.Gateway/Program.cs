using Platform.Gateway;
using Platform.Gateway.GraphQL.Http;
using Platform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UsePlatformTransportSecurity();
// Kept public answers go out before anything else runs (they carry the response security headers themselves); on the
// web server most are answered before the pipeline, by PublicAnswerFront.
app.UsePublicAnswers();
app.UsePlatformResponseSecurity(PublicAnswers.ContentSecurityPolicy);
app.UseCallerAndTenant();
app.MapDefaultEndpoints();
app.MapGraphQLApi();

app.Run();
