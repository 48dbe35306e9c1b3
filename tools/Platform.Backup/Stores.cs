using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Platform.Databases;

namespace Platform.Backup;

public sealed class BackupException(string message) : Exception(message);

/// <summary>
/// Where the platform keeps what matters: the storage account (grain state, photos, reminders) and the
/// relational databases that are not derived (identity; the web app's key ring). With <c>--data</c> they
/// are a local data folder as the run command lays it out (Azurite's files, SQLite files), for which
/// Azurite is started here on free loopback ports; otherwise the configured connection strings.
/// </summary>
public sealed class Stores : IAsyncDisposable
{
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? azurite;

    public string Storage { get; private init; } = "";

    /// <summary>The databases by connection name; the read model is not among them (a restore rebuilds it from the grains).</summary>
    public IReadOnlyDictionary<string, DatabaseConnection> Databases { get; private init; } = new Dictionary<string, DatabaseConnection>();

    public static readonly string[] DatabaseNames = ["identity-db", "webadmin-db"];

    public static async Task<Stores> OpenAsync(IConfiguration configuration)
    {
        if (configuration["data"] is { Length: > 0 } data)
        {
            data = Path.GetFullPath(data);
            var (process, local) = await StartAzuriteAsync(Path.Combine(data, "azurite"));
            return new Stores
            {
                azurite = process,
                Storage = local,
                Databases = new Dictionary<string, DatabaseConnection>
                {
                    ["identity-db"] = DatabaseConnection.Sqlite(Path.Combine(data, "identity", "identity.db")),
                    ["webadmin-db"] = DatabaseConnection.Sqlite(Path.Combine(data, "webadmin", "webadmin.db")),
                },
            };
        }
        var provider = DatabaseConnection.ProviderFrom(configuration);
        var databases = new Dictionary<string, DatabaseConnection>();
        foreach (var name in DatabaseNames)
        {
            if (configuration.GetConnectionString(name) is { Length: > 0 } connection) databases[name] = new DatabaseConnection(provider, connection);
        }
        return new Stores
        {
            Storage = configuration.GetConnectionString("storage") is { Length: > 0 } storage ? storage : throw new BackupException("ConnectionStrings:storage is not set (or pass --data <folder>)."),
            Databases = databases,
        };
    }

    private static async Task<(Process, string)> StartAzuriteAsync(string location)
    {
        var package = Path.Combine(RepositoryRoot(), "infra", "azurite");
        var script = Path.Combine(package, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            using var install = Process.Start(new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]) { WorkingDirectory = package })!;
            await install.WaitForExitAsync();
            if (install.ExitCode != 0) throw new BackupException("npm install of Azurite (infra/azurite) failed.");
        }
        Directory.CreateDirectory(location);
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var start = new ProcessStartInfo("node", [script, "--location", location, "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{queue}", "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
            "--skipApiVersionCheck", "--disableTelemetry", "--loose"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await ListeningAsync(blob) && await ListeningAsync(table)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline) throw new BackupException($"Azurite did not start on {location} (is the platform still running on it? Stop it first).");
            await Task.Delay(200);
        }
        return (process, $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};BlobEndpoint=http://127.0.0.1:{blob}/{DevAccount};" +
            $"QueueEndpoint=http://127.0.0.1:{queue}/{DevAccount};TableEndpoint=http://127.0.0.1:{table}/{DevAccount};");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        }
        throw new BackupException("The repository (Platform.sln) was not found above the tool; --data needs its infra/azurite.");
    }

    public async ValueTask DisposeAsync()
    {
        if (azurite is { HasExited: false })
        {
            // SIGTERM: Azurite writes its metadata to disk as it stops; a killed Azurite loses what it had not saved yet.
            using (var terminate = Process.Start("kill", ["-TERM", azurite.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await terminate.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await azurite.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                azurite.Kill(entireProcessTree: true);
            }
        }
        azurite?.Dispose();
    }
}
