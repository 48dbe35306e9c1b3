using Microsoft.AspNetCore.Authentication;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Azure.Data.Tables;
using GraphQL;
using GraphQL.DI;
using Orleans.Configuration;
using Platform.Grains.Hosting;
using Platform.Gateway.GraphQL.Execution;
using Platform.Gateway.GraphQL.Http;
using Platform.Gateway.GraphQL.Schema;
using Platform.Grains.Catalogs;
using Platform.Gateway.Tenancy;
using Platform.Gateway.Protection;
using Platform.ServiceDefaults.Hosting;
using Platform.ServiceDefaults.RateLimiting;
using Platform.MultiTenancy;
using Platform.ReadModel;

namespace Platform.Gateway;

/// <summary>Settings of the gateway, in the <c>Platform:Gateway</c> section.</summary>
public sealed class GatewaySettings
{
    public const string Section = "Platform:Gateway";

    /// <summary>
    /// <c>Client</c> (default): join the silo cluster found in Azure Table storage as an Orleans client.
    /// <c>Silo</c>: the gateway is a silo of the cluster itself (co-hosting; the silo's own settings, <c>Platform:Silo</c> and
    /// <c>Orleans:*</c>, apply), so that its grain calls need no network hop; the run command's <c>Platform:CoHost</c>.
    /// <c>External</c>: the host provides the cluster (a co-hosted silo in tests).
    /// </summary>
    public string Orleans { get; set; } = "Client";


    /// <summary>The identity server whose access tokens the gateway accepts (its issuer URL).</summary>
    public Uri Authority { get; set; } = new("http://127.0.0.1:5081/");

    /// <summary>The gateway's own client at the identity server (for invitations).</summary>
    public string ServiceClientId { get; set; } = "platform-gateway";
    public string? ServiceClientSecret { get; set; }

    /// <summary>The web app, where the links in mails lead (a complaint's confirmation and follow link).</summary>
    public Uri WebAppUrl { get; set; } = new("http://127.0.0.1:5082/");

    /// <summary>The largest GraphQL request body accepted, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>Keep parsed and validated documents for reuse (on by default; off only to measure its effect).</summary>
    public bool DocumentCache { get; set; } = true;

    /// <summary>How long the gateway keeps trying to reach the cluster at start.</summary>
    public TimeSpan ClusterConnectTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the gateway waits for a grain's answer (Orleans' response timeout, 30 s by default). A call sent to a
    /// silo just as it leaves can be lost; after this it fails, the request's idempotency key is freed, and the
    /// client's retry with that key runs at once. Orleans drops the call itself once it is this old.
    /// </summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the gateway reads the cluster's membership for silos to send to.</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);
}

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewaySettings>().BindConfiguration(GatewaySettings.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddClusterClient();
        builder.AddTokenValidation();
        builder.AddTenantResolution();
        builder.Services.AddHttpClient<Platform.Gateway.People.IdentityAdminClient>();
        builder.AddPhotoStorage();
        builder.Services.AddComplaintList(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton<Platform.Gateway.Complaints.IRestoredListRebuild, Platform.Gateway.Complaints.RestoredListRebuild>();
        builder.Services.AddSingleton<Platform.Gateway.Complaints.KnownComplaints>();
        builder.Services.AddSingleton<Platform.Gateway.Complaints.ListedComplaints>();
        builder.Services.AddSingleton<Platform.Gateway.Complaints.ListCounts>();
        builder.Services.AddSingleton<Platform.Gateway.GraphQL.Types.GrainReferences>();
        builder.Services.AddSingleton<Platform.Gateway.GraphQL.Types.KeptSnapshots<Platform.Grains.Arrangements.ArrangementSnapshot>>();
        builder.Services.AddSingleton<Platform.Gateway.GraphQL.Types.KeptSnapshots<Platform.Grains.Municipalities.MunicipalitySnapshot>>();
        builder.Services.AddScoped<Platform.Gateway.GraphQL.Types.RequestReads>();
        builder.Services.AddOptions<Platform.Gateway.Open311.Open311Settings>().BindConfiguration(Platform.Gateway.Open311.Open311Settings.Section);
        // The key of the unsubscribe links the silo signs: the gateway checks them.
        builder.Services.AddOptions<Platform.Grains.Notifications.NotificationSettings>().BindConfiguration(Platform.Grains.Notifications.NotificationSettings.Section);
        if (!builder.Environment.IsDevelopment()
            && (builder.Configuration.GetSection(Platform.Grains.Notifications.NotificationSettings.Section).Get<Platform.Grains.Notifications.NotificationSettings>() ?? new()).ProblemOutsideDevelopment() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        // Ready when a grain call through the cluster answers (silo reachable, storage readable).
        builder.AddReadinessProbe("cluster", (services, _) =>
            services.GetRequiredService<IGrainFactory>().GetGrain<ICatalogGrain>(CatalogNames.Arrangements).PageAsync(null, 1));
        // ... and once it has answered the common public queries itself, so that its first callers do not wait for the JIT.
        builder.Services.AddSingleton<GatewayWarmup>();
        builder.AddReadinessProbe("warm", (services, cancellationToken) => services.GetRequiredService<GatewayWarmup>().ReadyAsync(cancellationToken));
        builder.AddGraphQLApi();
        builder.AddRequestProtection();
        return builder;
    }

    private static void AddClusterClient(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(GatewaySettings.Section).Get<GatewaySettings>() ?? new GatewaySettings();
        if (string.Equals(settings.Orleans, "External", StringComparison.OrdinalIgnoreCase)) return;
        if (string.Equals(settings.Orleans, "Silo", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddPlatformSilo();
            builder.AddReadinessProbe("grain-storage", PlatformSilo.ProbeAsync);
            return;
        }

        // How the silos are found is Orleans' own configuration (Orleans:Clustering with a ProviderType and a
        // ConnectionName or ServiceKey); the embedded default is the local Azure Storage account.
        if (string.IsNullOrWhiteSpace(builder.Configuration["Orleans:Clustering:ProviderType"]))
        {
            throw new InvalidOperationException(
                "The gateway has no Orleans:Clustering:ProviderType in its configuration. Set it (AzureTableStorage, ...) with a " +
                "ConnectionName, as the gateway's appsettings.json does for the local Azure Storage account.");
        }
        builder.UseOrleansClient(client =>
        {
            // A restarted silo is found within seconds, not the default minute.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = settings.GatewayListRefreshPeriod);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = settings.GrainCallTimeout);
            client.UseConnectionRetryFilter(new ConnectRetry(settings.ClusterConnectTimeout).ShouldRetryAsync);
            // A read whose silo left while answering it is sent once more (writes: IdempotentRequest.RunAsync).
            client.AddOutgoingGrainCallFilter(new ReadRetryFilter(TimeProvider.System));
            // Each grain call a span of the request's trace, continued in the silo (see AddPlatformGrainBehaviour).
            client.AddActivityPropagation();
        });
    }

    /// <summary>Access tokens of our identity server, checked against its published keys (fetched from its discovery document).</summary>
    private static void AddTokenValidation(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(GatewaySettings.Section).Get<GatewaySettings>() ?? new GatewaySettings();
        builder.Services.AddOpenIddict().AddValidation(options =>
        {
            options.SetIssuer(settings.Authority);
            options.AddAudiences(Platform.Domain.Access.TokenContract.Audience);
            options.UseSystemNetHttp();
            options.UseAspNetCore();
        });
        // No default scheme: a request without a token never runs the token handler (it would read a posted form and
        // build a "token missing" error for every anonymous read). Requests with one are authenticated in UseCallerAndTenant.
        builder.Services.AddAuthentication();
    }

    /// <summary>
    /// The tenant of a request: the organisation in the caller's token, a <c>/t/{tenant}/graphql</c>
    /// link, a host name (when a template is configured) and, in Development only, an X-Tenant header.
    /// </summary>
    private static void AddTenantResolution(this IHostApplicationBuilder builder)
    {
        var tenancy = builder.Services.AddMultiTenant()
            .WithClaimStrategy(Platform.Domain.Access.TokenContract.OrganisationClaim)
            .WithRouteStrategy()
            .WithDevelopmentHeaderStrategy(builder.Environment)
            .WithStore<GrainTenantStore>()
            .OnRefused((http, status, code, detail) => GraphQLHttpEndpoint.WriteErrorAsync(http, status, code, detail));
        if (builder.Configuration[$"{GatewaySettings.Section}:TenantHostTemplate"] is { Length: > 0 } template)
        {
            tenancy.WithHostStrategy(template);
        }
    }

    /// <summary>Complaint photos go to the storage account named by <c>ConnectionStrings:photos</c>, else <c>storage</c> (none configured: uploads answer 503).</summary>
    private static void AddPhotoStorage(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("photos") ?? builder.Configuration.GetConnectionString("storage");
        if (connectionString is not { Length: > 0 }) return;
        // A person is waiting for the upload: two quick retries, then a clear 503, rather than half a minute of backing off.
        var options = new Azure.Storage.Blobs.BlobClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        builder.Services.AddSingleton(new Azure.Storage.Blobs.BlobServiceClient(connectionString, options));
        builder.Services.AddSingleton<Platform.Gateway.Complaints.PhotoStore>();
    }

    /// <summary>Keeps retrying while the silos start (the AppHost starts everything at once).</summary>
    private sealed class ConnectRetry(TimeSpan timeout)
    {
        private readonly DateTimeOffset giveUpAt = DateTimeOffset.UtcNow + timeout;

        public async Task<bool> ShouldRetryAsync(Exception exception, CancellationToken cancellationToken)
        {
            if (DateTimeOffset.UtcNow > giveUpAt) return false;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
    }

    /// <summary>Rate limits, and one answer for anything that escapes an endpoint.</summary>
    private static void AddRequestProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddThrottle(RequestLimits.Defaults);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        // Forms (Open311): as many fields as the specification has, and short values.
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
        {
            o.ValueCountLimit = 64;
            o.ValueLengthLimit = 16 * 1024;
            o.KeyLengthLimit = 128;
            o.MultipartBodyLengthLimit = 1024 * 1024;
        });
    }

    private static void AddGraphQLApi(this IHostApplicationBuilder builder)
    {
        var documentCache = builder.Configuration.GetValue($"{GatewaySettings.Section}:{nameof(GatewaySettings.DocumentCache)}", true);
        builder.Services.AddSingleton(new ValidatedDocumentCache(documentCache));
        builder.Services.AddOptions<DocumentLimits>().BindConfiguration(DocumentLimits.Section);
        builder.Services.AddSingleton<GraphQLHttpEndpoint.SchemaText>();
        // Answers to public queries, and the public records queries read, kept until public data changes (announced by the grains through the cluster).
        builder.Services.AddOptions<PublicAnswerSettings>().BindConfiguration(PublicAnswerSettings.Section);
        builder.Services.AddSingleton<PublicAnswerCache>();
        builder.AddFrontDoor<PublicAnswerFront>();
        builder.Services.AddHostedService<PublicAnswerSubscription>();
        builder.Services.AddGraphQL(graphql =>
        {
            graphql
                .AddSchema<PlatformSchema>()
                .AddGraphTypes(typeof(PlatformSchema).Assembly)
                // Readable non-ASCII (m³, €) while still escaping HTML-sensitive characters.
                .AddSystemTextJson(o => o.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All))
                .AddComplexityAnalyzer(o =>
                {
                    // Bounds what one request can ask for: the deepest useful query is about 6 levels, and a page
                    // of 100 arrangements with members and tariffs scores about 27,000.
                    o.MaxDepth = new DocumentLimits().MaxDepth;
                    o.MaxComplexity = 250_000;
                })
                .AddErrorInfoProvider(o => o.ExposeExceptionDetails = false);
            graphql.ConfigureExecution(services => services.GetRequiredService<ValidatedDocumentCache>());
        });
    }

    /// <summary>Who is calling (token) and for which tenant, before any endpoint runs.</summary>
    public static WebApplication UseCallerAndTenant(this WebApplication app)
    {
        // First, so that whatever escapes later (a tenant lookup while the cluster is down included) is answered in the API's format.
        app.UseExceptionHandler();
        // Explicit, so that none is added in front of the exception handler; without a default scheme it authenticates nothing.
        app.UseAuthentication();
        // Only a request with a token has anything to authenticate (before tenancy, which reads the token's organisation).
        app.Use(async (http, next) =>
        {
            if (http.Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization))
            {
                var result = await http.AuthenticateAsync(OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
                if (result.Succeeded && result.Principal is not null) http.User = result.Principal;
            }
            await next(http);
        });
        app.UseMultiTenant();
        return app;
    }

    public static WebApplication MapGraphQLApi(this WebApplication app)
    {
        app.MapGraphQLEndpoint();
        Platform.Gateway.Complaints.PhotoEndpoints.MapPhotoEndpoints(app);
        Platform.Gateway.Municipalities.PortalLogoEndpoints.MapPortalLogoEndpoints(app);
        Platform.Gateway.Open311.Open311Endpoints.MapOpen311(app);
        Platform.Gateway.Arrangements.ArrangementFeedEndpoint.MapArrangementFeed(app);
        Platform.Gateway.Exports.OpenDataEndpoints.MapOpenData(app);
        Platform.Gateway.Exports.ComplaintExportEndpoint.MapComplaintExport(app);
        return app;
    }
}
