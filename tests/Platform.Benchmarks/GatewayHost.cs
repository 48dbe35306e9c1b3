using Platform.ServiceDefaults.Mail;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Gateway;
using Platform.Grains.DemoData;
using Platform.Grains.Hosting;

using Platform.Tests.Shared;

namespace Platform.Benchmarks;

/// <summary>The real gateway on Kestrel at 127.0.0.1 (a free port), with a co-hosted silo holding the demo data.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string TariffQuery = """
        query Tariffs($id: ID!) {
          arrangement(id: $id) {
            name
            tariffs { service { code name } amount currency unit validFrom validTo decidedBy }
          }
        }
        """;

    private readonly WebApplication app;
    private readonly Uri root;
    private byte[] baselineBody = [];

    private GatewayHost(WebApplication app, Uri root)
    {
        this.app = app;
        this.root = root;
    }

    public Uri Root => root;

    /// <summary>The host's services, among them the co-hosted silo's grain factory.</summary>
    public IServiceProvider Services => app.Services;

    /// <param name="storage">An Azure Storage connection string for grain state and photos; memory storage when null.</param>
    /// <param name="authority">The identity server whose tokens the gateway accepts (only needed when requests carry tokens).</param>
    public static async Task<GatewayHost> StartAsync(bool documentCache, string? storage = null, Uri? authority = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Platform:Gateway:Orleans"] = "External";
        builder.Configuration["Platform:Gateway:DocumentCache"] = documentCache.ToString();
        builder.Configuration["ConnectionStrings:readmodel"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}", "complaints.db")}";
        if (authority is not null) builder.Configuration["Platform:Gateway:Authority"] = authority.ToString();
        // The benchmarks measure what the platform can do; a handful of residents filing hundreds a second would be throttled.
        builder.Configuration["Platform:RateLimits:Enabled"] = "false";
        builder.Configuration["Platform:Notifications:LinkKey"] = "benchmark-unsubscribe-link-key-0123456789abcdef";
        // Photos go to this account too; without one the gateway runs without photo storage.
        builder.Configuration["ConnectionStrings:storage"] = storage;
        builder.Services.AddPlatformSilo(new SiloSettings
        {
            Storage = storage is null ? "Memory" : "AzureStorage",
            SiloPort = LoopbackPort.Free(),
            GatewayPort = LoopbackPort.Free(),
            ClusterId = $"bench-{Guid.NewGuid():N}",
            SeedDemoData = false,
        }, storage).AddSmtpMail();
        builder.AddApplicationServices();
        var app = builder.Build();
        // The same pipeline as Program: caller and tenant resolved before the endpoint.
        app.UseCallerAndTenant();
        app.MapGraphQLApi();
        GatewayHost? host = null;
        // The baseline: the same response bytes from a plain endpoint, so only GraphQL's own work differs.
        app.MapPost("/baseline", () => Results.Bytes(host!.baselineBody, "application/json"));
        await app.StartAsync();
        await DemoDataSeeder.SeedAsync(app.Services.GetRequiredService<IGrainFactory>());

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new GatewayHost(app, new Uri(address));
        using var client = new HttpClient();
        using var response = await client.SendAsync(host.GraphQLRequest(TariffQuery)());
        host.baselineBody = await response.Content.ReadAsByteArrayAsync();
        return host;
    }

    public Func<HttpRequestMessage> GraphQLRequest(string query)
    {
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { query, variables = new { id = DemoDataSet.WasteArrangementId } }));
        return () => Post(new Uri(root, "/graphql"), body);
    }

    public Func<HttpRequestMessage> BaselineRequest()
    {
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { query = TariffQuery, variables = new { id = DemoDataSet.WasteArrangementId } }));
        return () => Post(new Uri(root, "/baseline"), body);
    }

    private static HttpRequestMessage Post(Uri uri, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
    }


    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
