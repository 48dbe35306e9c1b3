using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.Orleans;

namespace Platform.AppHost;

/// <summary>
/// The Orleans cluster as Aspire models it (<c>Aspire.Hosting.Orleans</c>): grain state and reminders in the local Azure
/// Storage account, the membership table on the table service of its own (see <see cref="AzuriteResource"/>), handed to every silo and to the gateway as Orleans' own configuration
/// (<c>Orleans:Clustering:ProviderType</c>, <c>…:ConnectionName</c>); each silo gets its silo and gateway ports from the AppHost.
/// </summary>
public static class ClusterResource
{
    public const string StorageConnectionName = "storage";

    /// <summary>The connection of the membership table (the local run command's second table service; in production it may be the storage account).</summary>
    public const string MembershipConnectionName = "membership";

    public static OrleansService AddPlatformCluster(this IDistributedApplicationBuilder builder) =>
        builder.AddOrleans("cluster")
            .WithClusterId("platform-local")
            .WithServiceId("platform")
            .WithClustering(new StorageAccount("AzureTableStorage", MembershipConnectionName))
            .WithGrainStorage("grains", new StorageAccount("AzureBlobStorage", StorageConnectionName))
            .WithReminders(new StorageAccount("AzureTableStorage", StorageConnectionName));

    /// <summary>
    /// <paramref name="count"/> silo processes: the first on the configured HTTP port (the README's), the others on free
    /// loopback ports; each a resource of its own in the dashboard, restarted by the <see cref="Supervisor"/> when it dies.
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<ProjectResource>> AddSilos(
        this IDistributedApplicationBuilder builder, int count, LocalPlatformSettings settings, Action<IResourceBuilder<ProjectResource>> configure)
    {
        var silos = new List<IResourceBuilder<ProjectResource>>();
        for (var i = 0; i < Math.Max(1, count); i++)
        {
            var silo = builder.AddProject<Projects.Platform_Silo>(i == 0 ? "silo" : $"silo-{i + 1}", launchProfileName: null)
                .WithLoopbackHttpEndpoint(i == 0 ? settings.SiloHttpPort : FreeLoopbackPort());
            configure(silo);
            silo.WithOwnOrleansEndpoints();
            silos.Add(silo);
        }
        return silos;
    }

    /// <summary>
    /// Aspire.Hosting.Orleans declares the silo-to-silo and gateway endpoints as proxied; a silo must be reached at the
    /// address it advertises, so each gets a loopback port of its own, passed straight through.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOwnOrleansEndpoints(this IResourceBuilder<ProjectResource> silo)
    {
        foreach (var endpoint in new[] { "orleans-silo", "orleans-gateway" })
        {
            var port = FreeLoopbackPort();
            silo.WithEndpoint(endpoint, e =>
            {
                e.IsProxied = false;
                e.Port = port;
                e.TargetPort = port;
                e.TargetHost = "127.0.0.1";
            });
        }
        return silo;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A provider in the storage account whose connection string is named <paramref name="connectionName"/>.</summary>
    private sealed class StorageAccount(string providerType, string connectionName) : IProviderConfiguration
    {
        public void ConfigureResource<T>(IResourceBuilder<T> resourceBuilder, string configurationSectionName) where T : IResourceWithEnvironment
        {
            var prefix = "Orleans__" + configurationSectionName.Replace(":", "__");
            resourceBuilder
                .WithEnvironment($"{prefix}__ProviderType", providerType)
                .WithEnvironment($"{prefix}__ConnectionName", connectionName);
        }
    }
}
