using Platform.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var settings = LocalPlatformSettings.From(builder);

var storage = builder.AddAzurite(settings);

var silo = builder.AddProject<Projects.Platform_Silo>("silo", launchProfileName: null)
    .WithLoopbackHttpEndpoint(settings.SiloHttpPort)
    .WithEnvironment("ConnectionStrings__storage", storage.ConnectionString)
    .WithEnvironment("Platform__Silo__SiloPort", settings.SiloPort.ToString())
    .WithEnvironment("Platform__Silo__GatewayPort", settings.OrleansGatewayPort.ToString())
    .WithHttpHealthCheck("/health")
    .WaitFor(storage.Resource);

var gateway = builder.AddProject<Projects.Platform_Gateway>("gateway", launchProfileName: null)
    .WithLoopbackHttpEndpoint(settings.GatewayPort)
    .WithEnvironment("ConnectionStrings__storage", storage.ConnectionString)
    .WithHttpHealthCheck("/health")
    .WaitFor(silo);

builder.AddProject<Projects.Platform_WebAdmin>("web-admin", launchProfileName: null)
    .WithLoopbackHttpEndpoint(settings.WebAdminPort)
    .WithEnvironment("Platform__WebAdmin__GatewayUrl", settings.GatewayGraphQLUrl)
    .WithHttpHealthCheck("/health")
    .WaitFor(gateway);

builder.Build().Run();
