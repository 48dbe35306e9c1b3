using Platform.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var settings = LocalPlatformSettings.From(builder);

var storage = builder.AddAzurite(settings);
var mail = builder.AddMailServer(settings);

var environment = builder.Environment.EnvironmentName;

var cluster = builder.AddPlatformCluster();
// What makes a process a silo of the cluster (the silo processes, or the gateway when it hosts the silo itself).
IResourceBuilder<ProjectResource> AsSilo(IResourceBuilder<ProjectResource> project) => project
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", environment)
    .WithEnvironment(context =>
    {
        if (settings.EscalationOperations is { } operations) context.EnvironmentVariables["Platform__Escalation__Operations"] = operations.ToString("c");
        if (settings.EscalationContractManagers is { } managers) context.EnvironmentVariables["Platform__Escalation__ContractManagers"] = managers.ToString("c");
    })
    .WithReference(cluster)
    .WithEnvironment($"ConnectionStrings__{ClusterResource.StorageConnectionName}", storage.ConnectionString)
    .WithEnvironment($"ConnectionStrings__{ClusterResource.MembershipConnectionName}", storage.MembershipConnectionString)
    .WithEnvironment("ConnectionStrings__readmodel", $"Data Source={settings.ReadModelPath}")
    .WithEnvironment("Platform__Silo__SeedDemoData", settings.DemoData ? "true" : "false")
    .WithEnvironment("Platform__Notifications__WebAppUrl", settings.WebAdminUrl)
    .WithLocalMail(settings, mail)
    .WaitFor(storage.Resource);
IReadOnlyList<IResourceBuilder<ProjectResource>> silos = settings.CoHost ? [] : builder.AddSilos(settings.Silos, settings, silo => AsSilo(silo).WithHttpHealthCheck("/health"));

var identity = builder.AddProject<Projects.Platform_Identity>("identity", launchProfileName: null)
    .WithLoopbackHttpEndpoint(settings.IdentityPort)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", environment)
    .WithEnvironment("ConnectionStrings__identity-db", $"Data Source={settings.IdentityDatabasePath}")
    .WithEnvironment("Platform__Identity__SeedDemoData", settings.DemoData ? "true" : "false")
    .WithEnvironment("Platform__Identity__WebAppUrls__0", settings.WebAdminUrl)
    .WithEnvironment("Platform__Identity__GatewayUrl", settings.GatewayGraphQLUrl)
    .WithLocalMail(settings, mail)
    .WithHttpHealthCheck("/health");
if (settings.OperatorPassword is { Length: > 0 } operatorPassword)
{
    identity.WithEnvironment("Platform__Identity__Operator__Password", operatorPassword);
}
if (settings.AccessTokenLifetime is { } lifetime)
{
    identity.WithEnvironment("Platform__Identity__AccessTokenLifetime", lifetime.ToString("c"));
}

var gateway = builder.AddProject<Projects.Platform_Gateway>("gateway", launchProfileName: null)
    .WithLoopbackHttpEndpoint(settings.GatewayPort)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", environment)
    .WithEnvironment($"ConnectionStrings__{ClusterResource.StorageConnectionName}", storage.ConnectionString)
    .WithEnvironment($"ConnectionStrings__{ClusterResource.MembershipConnectionName}", storage.MembershipConnectionString)
    .WithEnvironment("Platform__Gateway__Authority", settings.IdentityUrl)
    .WithEnvironment("Platform__Gateway__WebAppUrl", settings.WebAdminUrl)
    .WithEnvironment("ConnectionStrings__readmodel", $"Data Source={settings.ReadModelPath}")
    .WaitFor(identity)
    .WithHttpHealthCheck("/health");
if (settings.CoHost)
{
    AsSilo(gateway).WithOwnOrleansEndpoints().WithEnvironment("Platform__Gateway__Orleans", "Silo");
}
else
{
    gateway.WithReference(cluster.AsClient()).WaitFor(silos[0]);
}

if (!settings.RateLimits)
{
    gateway.WithEnvironment("Platform__RateLimits__Enabled", "false");
}

var webAdmin = builder.AddProject<Projects.Platform_WebAdmin>("web-admin", launchProfileName: null)
    .WithLoopbackHttpEndpoint(settings.WebAdminPort)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", environment)
    .WithEnvironment("Platform__WebAdmin__GatewayUrl", settings.GatewayGraphQLUrl)
    .WithEnvironment("Platform__WebAdmin__Authority", settings.IdentityUrl)
    .WithEnvironment("ConnectionStrings__webadmin-db", $"Data Source={settings.WebAdminDatabasePath}")
    .WithEnvironment("Platform__WebAdmin__PhotoOrigins__0", "http://127.0.0.1:" + settings.BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
    .WaitFor(identity)
    .WithHttpHealthCheck("/health")
    .WaitFor(gateway);
if (settings.MapFolder is { } mapFolder)
{
    // Tiles and the address search from the web app's own local folder: no request leaves the machine.
    webAdmin.WithEnvironment("Platform__WebAdmin__Map__LocalFolder", mapFolder)
        .WithEnvironment("Platform__WebAdmin__Map__TileUrl", "/map/local/tiles/{z}/{x}/{y}.png")
        .WithEnvironment("Platform__WebAdmin__Map__GeocoderUrl", "/map/local/geocoder.json")
        .WithEnvironment("Platform__WebAdmin__Map__Attribution", "Test tiles");
}

foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
{
    var resource = builder.CreateResourceBuilder(project);
    if (settings.TraceSampleRatio is { } ratio)
    {
        resource.WithEnvironment("Platform__Telemetry__TraceSampleRatio", ratio.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
    if (settings.MaxTracesPerSecond is { } max)
    {
        resource.WithEnvironment("Platform__Telemetry__MaxTracesPerSecond", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

Supervisor.AddTo(builder);

builder.Build().Run();
