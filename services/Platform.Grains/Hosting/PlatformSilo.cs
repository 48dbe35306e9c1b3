using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Platform.Grains.DemoData;
using Platform.ReadModel;
using Platform.ServiceDefaults.Mail;
using System.Net;

namespace Platform.Grains.Hosting;

/// <summary>Settings of the silo, in the <c>Platform:Silo</c> section (the <c>Orleans</c> section belongs to Orleans).</summary>
public sealed class SiloSettings
{
    public const string Section = "Platform:Silo";

    /// <summary><c>AzureStorage</c> (default): grain state in Blob, membership and reminders in Table. <c>Memory</c>: for tests.</summary>
    public string Storage { get; set; } = "AzureStorage";

    /// <summary>Name of the connection string (ConnectionStrings:NAME) of the Azure Storage account.</summary>
    public string ConnectionStringName { get; set; } = "storage";

    public string ClusterId { get; set; } = "platform-local";
    public string ServiceId { get; set; } = "platform";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this one at; loopback on a developer machine.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public bool SeedDemoData { get; set; } = true;
}

public static class PlatformSilo
{
    /// <summary>Ready when a grain answers that reads its state from storage: the cluster and its storage work.</summary>
    public static Task ProbeAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<IGrainFactory>().GetGrain<Catalogs.ICatalogGrain>(Catalogs.CatalogNames.Municipalities).PageAsync(null, 1);

    /// <summary>Adds an Orleans silo with the platform's grains, storage and (optionally) the demo data seeder.</summary>
    public static IHostApplicationBuilder AddPlatformSilo(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings();
        var connectionString = builder.Configuration.GetConnectionString(settings.ConnectionStringName);
        builder.Services.AddPlatformSilo(settings, connectionString);
        builder.Services.AddComplaintList(builder.Configuration, builder.Environment);
        // Grains send mail too (a complaint's confirmation link), through the same SMTP settings as the identity server.
        builder.AddMail(builder.Environment.IsDevelopment());
        return builder;
    }

    /// <summary>The same silo on a bare service collection, for hosts that build their own (functional tests).</summary>
    public static IServiceCollection AddPlatformSilo(this IServiceCollection services, SiloSettings settings, string? connectionString)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOrleans(silo => silo.ConfigurePlatformSilo(settings, connectionString));
        if (settings.SeedDemoData)
        {
            services.AddHostedService<DemoDataSeeder>();
        }
        return services;
    }

    public static ISiloBuilder ConfigurePlatformSilo(this ISiloBuilder silo, SiloSettings settings, string? connectionString)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        if (string.Equals(settings.Storage, "Memory", StringComparison.OrdinalIgnoreCase))
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
            silo.AddMemoryGrainStorage(StorageNames.Grains);
            silo.UseInMemoryReminderService();
            return silo;
        }
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The silo stores its grains in Azure Storage, but the connection string 'ConnectionStrings:{settings.ConnectionStringName}' is not set. " +
                $"Set it, or set {SiloSettings.Section}:Storage to Memory for a throw-away silo.");
        }
        silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedAddress), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
        silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connectionString));
        silo.AddAzureBlobGrainStorage(StorageNames.Grains, o => o.BlobServiceClient = new BlobServiceClient(connectionString));
        silo.UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(connectionString));
        return silo;
    }
}
