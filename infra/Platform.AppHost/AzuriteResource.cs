using Microsoft.Extensions.DependencyInjection;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.AppHost;

/// <summary>
/// Azurite (the local Azure Storage) as an npm package, installed from its lock file and run with node: the storage
/// account (<see cref="ConnectionString"/>: grain state, reminders, photos) and, apart, the table service that holds
/// the cluster's membership (<see cref="MembershipConnectionString"/>).
/// </summary>
public sealed record LocalStorage(IResourceBuilder<ExecutableResource> Resource, string ConnectionString, string MembershipConnectionString);

public static class AzuriteResource
{
    // Azurite's documented development account; it only ever listens on 127.0.0.1.
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static LocalStorage AddAzurite(this IDistributedApplicationBuilder builder, LocalPlatformSettings settings)
    {
        Directory.CreateDirectory(settings.AzuriteDataPath);

        // npm ci would wipe node_modules each start; install is a no-op when the lock file is satisfied.
        var install = builder.AddExecutable("azurite-install", "npm", settings.AzuritePackagePath,
            "install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error");

        var healthCheck = "azurite-listening";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            foreach (var port in new[] { settings.BlobPort, settings.TablePort, settings.MembershipTablePort })
            {
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                }
                catch (SocketException)
                {
                    return HealthCheckResult.Unhealthy($"Azurite is not listening on 127.0.0.1:{port} yet");
                }
            }
            return HealthCheckResult.Healthy();
        });

        var azurite = builder.AddExecutable("azurite", "node", settings.AzuritePackagePath,
                "node_modules/azurite/dist/src/azurite.js",
                "--location", settings.AzuriteDataPath,
                "--blobHost", "127.0.0.1", "--blobPort", settings.BlobPort.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", settings.QueuePort.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", settings.TablePort.ToString(),
                // Blobs 12.30 speaks a newer API version than Azurite 3.37 knows; without telemetry off
                // Azurite ignores SIGTERM and outlives the AppHost.
                "--skipApiVersionCheck", "--disableTelemetry", "--loose")
            .WithHealthCheck(healthCheck)
            .WaitForCompletion(install);

        // The membership table on a table service of its own. Azurite keeps each service's tables in one file and writes
        // the whole file again within 5 s of any change; every silo writes its heartbeat row every 10 s, which made
        // Azurite write the reminders' table (one reminder per open complaint: 69 MB at 100,000 complaints) six times
        // a minute, about 1.2 s of a core each time, stalling every request on that core (5 December). Production's
        // storage account has no such cost; Orleans:Clustering:ConnectionName may name the same account there.
        Directory.CreateDirectory(settings.AzuriteMembershipDataPath);
        builder.AddExecutable("azurite-membership", "node", settings.AzuritePackagePath,
                "table-only.js",
                "--location", settings.AzuriteMembershipDataPath,
                "--tableHost", "127.0.0.1", "--tablePort", settings.MembershipTablePort.ToString(),
                "--skipApiVersionCheck", "--disableTelemetry", "--loose")
            .WaitForCompletion(install);

        static string Account(params (string Service, int Port)[] endpoints) =>
            $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};" +
            string.Concat(endpoints.Select(e => $"{e.Service}Endpoint=http://127.0.0.1:{e.Port}/{DevAccount};"));
        return new LocalStorage(azurite,
            Account(("Blob", settings.BlobPort), ("Queue", settings.QueuePort), ("Table", settings.TablePort)),
            Account(("Table", settings.MembershipTablePort)));
    }

    /// <summary>A fixed port on 127.0.0.1, not proxied, so the README's URLs are the processes' own.</summary>
    public static IResourceBuilder<ProjectResource> WithLoopbackHttpEndpoint(this IResourceBuilder<ProjectResource> project, int port) =>
        project
            .WithHttpEndpoint(port: port, name: "http", isProxied: false)
            .WithEnvironment("ASPNETCORE_URLS", "http://127.0.0.1:" + port);
}
