extern alias identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using identity::Platform.Identity;
using Microsoft.Extensions.Configuration;

namespace Platform.Tests.Shared;

/// <summary>
/// The real identity server on Kestrel at 127.0.0.1 (a free port), with a fresh database (SQLite, or PostgreSQL in the *.PostgreSQL.Tests projects) and the
/// demo accounts, so tests reach it over HTTP as every client does.
/// </summary>
public sealed class IdentityHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string folder;

    private IdentityHost(WebApplication app, Uri url, string folder)
    {
        this.app = app;
        this.folder = folder;
        Url = url;
    }

    public Uri Url { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="port">A port chosen beforehand, when another server must know this one's address before it starts.</param>
    public static async Task<IdentityHost> StartAsync(Dictionary<string, string?>? settings = null, int? port = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"platform-identity-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        port ??= LoopbackPort.Free();
        var url = $"http://127.0.0.1:{port}/";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = folder });
        builder.WebHost.UseUrls(url);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = url,
            ["Platform:Identity:SeedDemoData"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings?.ContainsKey("ConnectionStrings:identity-db") != true) builder.Configuration.AddInMemoryCollection(await TestDatabase.SettingsAsync("identity-db", folder));
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIdentityServer();
        var app = builder.Build();
        app.MapIdentityServer();
        await app.StartAsync();
        return new IdentityHost(app, new Uri(url), folder);
    }


    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
