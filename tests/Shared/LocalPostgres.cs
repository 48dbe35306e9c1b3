using System.Diagnostics;
using Npgsql;

namespace Platform.Tests.Shared;

/// <summary>
/// A real PostgreSQL server for the test run: Debian's package (installed with apt-get, as root, when
/// missing), a cluster made in a temporary folder, listening on 127.0.0.1 at a free port, and removed
/// with its folder when the test process ends. One per test process; each fixture takes a database of its own.
/// </summary>
public sealed class LocalPostgres
{
    private static readonly Lazy<Task<LocalPostgres>> Shared = new(StartAsync);
    private readonly Process server;
    private readonly string folder;

    private LocalPostgres(Process server, string folder, int port)
    {
        this.server = server;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=platform;Database={database};Pooling=true;Include Error Detail=true";

    public static Task<LocalPostgres> SharedAsync() => Shared.Value;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{new string(prefix.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant()}_{Guid.NewGuid():N}"[..40];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private static async Task<LocalPostgres> StartAsync()
    {
        var bin = FindBinaries();
        if (bin is null)
        {
            await RunAsync("apt-get", ["update", "-qq"]);
            await RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], new() { ["DEBIAN_FRONTEND"] = "noninteractive" });
            bin = FindBinaries() ?? throw new InvalidOperationException("apt-get installed postgresql, but no /usr/lib/postgresql/*/bin/postgres was found");
        }
        DeleteLeftovers();
        var folder = Path.Combine(Path.GetTempPath(), $"platform-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        // PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's postgres user.
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["postgres:postgres", folder]);
        string[] AsOwner(string program, params string[] arguments) => asRoot
            ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", Path.Combine(bin, program), .. arguments]
            : [Path.Combine(bin, program), .. arguments];

        var data = Path.Combine(folder, "data");
        var initdb = AsOwner("initdb", "-D", data, "-U", "platform", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C");
        await RunAsync(initdb[0], initdb[1..]);
        var port = LoopbackPort.Free();
        // A test server: no durability (fsync off) and enough connections for parallel fixtures.
        var postgres = AsOwner("postgres", "-D", data, "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", folder,
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300");
        var start = new ProcessStartInfo(postgres[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in postgres[1..]) start.ArgumentList.Add(argument);
        var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var local = new LocalPostgres(server, folder, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => local.Stop();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(local.ConnectionString("postgres"));
                await connection.OpenAsync();
                return local;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !server.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>A fast shutdown (SIGINT), then the folder goes.</summary>
    private void Stop()
    {
        try
        {
            if (!server.HasExited)
            {
                using var signal = Process.Start("kill", ["-INT", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                signal.WaitForExit(2_000);
                if (!server.WaitForExit(5_000)) server.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        DeleteFolder(folder);
    }

    private static void DeleteFolder(string folder)
    {
        for (var attempt = 0; attempt < 5 && Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The server's last processes may still be removing their files.
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>Folders of earlier runs whose server no longer runs (a test process that was killed leaves one).</summary>
    private static void DeleteLeftovers()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "platform-pg-*"))
        {
            var pidFile = Path.Combine(folder, "data", "postmaster.pid");
            var running = File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}");
            if (!running) DeleteFolder(folder);
        }
    }

    private static string? FindBinaries() => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
            .FirstOrDefault()
        : null;

    private static async Task RunAsync(string program, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}
