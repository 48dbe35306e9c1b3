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

/// <summary>
/// The platform's own settings of the silo, in the <c>Platform:Silo</c> section. Which clustering, grain storage and
/// reminder providers the silo uses is Orleans' own configuration (<c>Orleans:Clustering</c>, <c>Orleans:GrainStorage:grains</c>,
/// <c>Orleans:Reminders</c>, each with a <c>ProviderType</c> and a <c>ConnectionName</c> or <c>ServiceKey</c>); the embedded
/// defaults in appsettings.json use the local Azure Storage account.
/// </summary>
public sealed class SiloSettings
{
    public const string Section = "Platform:Silo";

    /// <summary>For in-process hosts (tests, benchmarks): <c>Memory</c> or <c>AzureStorage</c> with the connection string given.</summary>
    public string Storage { get; set; } = "AzureStorage";

    public string ClusterId { get; set; } = "platform-local";
    public string ServiceId { get; set; } = "platform";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this one at; loopback on a developer machine.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public bool SeedDemoData { get; set; } = true;

    /// <summary>Whether a starting silo does the work of its first grains once before it joins (see <see cref="SiloWarmUp"/>).</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// How long a stopping silo goes on passing answers on, after it told its clients to stop sending, before it
    /// deactivates its grains and blocks messages (see <see cref="Platform.Grains.Hosting.GatewayDrain"/>); zero (or
    /// less) turns it off.
    /// </summary>
    public TimeSpan GatewayDrain
    {
        get;
        set => field = value < TimeSpan.Zero ? TimeSpan.Zero : value;
    } = Platform.Grains.Hosting.GatewayDrain.Default;

    /// <summary>
    /// <c>Local</c> (the default): listen and advertise on <see cref="AdvertisedAddress"/>. <c>Kubernetes</c>: the pod's
    /// name, IP and labels decide (Orleans' Kubernetes hosting, added by the silo's host), and silos whose pods are gone
    /// are declared dead at once.
    /// </summary>
    public string Hosting { get; set; } = LocalHosting;

    public const string LocalHosting = "Local";
    public const string KubernetesHosting = "Kubernetes";
}

public static class PlatformSilo
{
    /// <summary>
    /// The <c>Platform:Silo</c> section as <c>IOptions&lt;SiloSettings&gt;</c>, bound once for what runs inside the silo (its
    /// lifecycle participants). A value of the wrong type fails the silo's start with the binder's error, which names the key.
    /// </summary>
    public static IServiceCollection AddPlatformSiloSettings(this IServiceCollection services)
    {
        services.AddOptions<SiloSettings>().BindConfiguration(SiloSettings.Section);
        return services;
    }

    /// <summary>Ready when a grain answers that reads its state from storage: the cluster and its storage work.</summary>
    public static Task ProbeAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<IGrainFactory>().GetGrain<Catalogs.ICatalogGrain>(Catalogs.CatalogNames.Municipalities).PageAsync(null, 1);

    /// <summary>
    /// An Orleans silo with the platform's grains and (optionally) the demo data seeder, its providers chosen in
    /// configuration (the <c>Orleans</c> section), its membership probing from <c>Orleans:Membership</c>.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder, SiloSettings>? hosting = null)
    {
        var settings = builder.Configuration.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings();
        var orleans = builder.Configuration.GetSection("Orleans");
        foreach (var provider in new[] { "Clustering", $"GrainStorage:{StorageNames.Grains}", "Reminders" })
        {
            if (string.IsNullOrWhiteSpace(orleans[$"{provider}:ProviderType"]))
            {
                throw new InvalidOperationException(
                    $"The silo has no Orleans:{provider}:ProviderType in its configuration. Set it (AzureTableStorage, AzureBlobStorage, " +
                    "Memory, ...) with a ConnectionName, as the silo's appsettings.json does for the local Azure Storage account.");
            }
        }
        var local = string.Equals(settings.Hosting, SiloSettings.LocalHosting, StringComparison.OrdinalIgnoreCase);
        if (!local && (hosting is null || !string.Equals(settings.Hosting, SiloSettings.KubernetesHosting, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException(
                $"{SiloSettings.Section}:Hosting is '{settings.Hosting}'; it is {SiloSettings.LocalHosting} or {SiloSettings.KubernetesHosting} (the latter only in the silo's own host).");
        }
        builder.Services.AddSingleton(TimeProvider.System);
        builder.UseOrleans(silo =>
        {
            silo.Services.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));
            if (local)
            {
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = IPAddress.Parse(settings.AdvertisedAddress);
                    // Listen where it is reached, not on every interface of the machine.
                    o.SiloListeningEndpoint = new IPEndPoint(o.AdvertisedIPAddress, o.SiloPort);
                    o.GatewayListeningEndpoint = new IPEndPoint(o.AdvertisedIPAddress, o.GatewayPort);
                });
            }
            hosting?.Invoke(silo, settings);
            silo.AddPlatformGrainBehaviour();
        });
        if (settings.SeedDemoData)
        {
            builder.Services.AddHostedService<DemoDataSeeder>();
        }
        builder.Services.AddComplaintList(builder.Configuration, builder.Environment);
        builder.Services.AddHostedService<ReadModelRebuild>();
        // Grains send mail too (a complaint's confirmation link, notifications), through the same SMTP settings as the identity server.
        builder.AddMail(builder.Environment.IsDevelopment());
        var notifications = builder.Services.AddOptions<Notifications.NotificationSettings>();
        // In Development webhooks may go to a receiver on this machine, unless the configuration says otherwise.
        if (builder.Environment.IsDevelopment()) notifications.Configure(o => o.AllowPrivateWebhookTargets = true);
        notifications.BindConfiguration(Notifications.NotificationSettings.Section);
        builder.Services.AddOptions<Incidents.EscalationSettings>().BindConfiguration(Incidents.EscalationSettings.Section)
            .Validate(e => e.IsValid, $"{Incidents.EscalationSettings.Section}: each deadline is at least ten seconds.").ValidateOnStart();
        if (!builder.Environment.IsDevelopment()
            && (builder.Configuration.GetSection(Notifications.NotificationSettings.Section).Get<Notifications.NotificationSettings>() ?? new()).ProblemOutsideDevelopment() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        return builder;
    }

    /// <summary>
    /// The same silo in a host that builds its own service collection (functional tests, benchmarks), with its providers
    /// chosen by <see cref="SiloSettings.Storage"/>.
    /// </summary>
    public static IServiceCollection AddPlatformSilo(this IServiceCollection services, SiloSettings settings, string? connectionString)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<Notifications.NotificationSettings>().BindConfiguration(Notifications.NotificationSettings.Section);
        services.AddOptions<Incidents.EscalationSettings>().BindConfiguration(Incidents.EscalationSettings.Section)
            .Validate(e => e.IsValid, $"{Incidents.EscalationSettings.Section}: each deadline is at least ten seconds.").ValidateOnStart();
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
        silo.AddPlatformGrainBehaviour();
        if (string.Equals(settings.Storage, "Memory", StringComparison.OrdinalIgnoreCase))
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
            silo.AddMemoryGrainStorage(StorageNames.Grains);
            silo.UseInMemoryReminderService();
            return silo;
        }
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("An in-process silo on Azure Storage needs the storage account's connection string.");
        }
        silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedAddress), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
        silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connectionString));
        silo.AddAzureBlobGrainStorage(StorageNames.Grains, o => o.BlobServiceClient = new BlobServiceClient(connectionString));
        silo.UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(connectionString));
        return silo;
    }
}
