using System.Diagnostics;
using System.Text;

namespace Platform.Reliability.Tests;

/// <summary>
/// One process of the platform as it runs in production: its own built program, its settings in environment
/// variables, its output kept (and shown when a test fails). It can be killed the hard way and started again
/// with the same settings.
/// </summary>
public sealed class PlatformProcess : IAsyncDisposable
{
    private readonly string fileName;
    private readonly string[] arguments;
    private readonly string workingDirectory;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly StringBuilder output = new();
    private Process? process;

    public PlatformProcess(string name, string fileName, string[] arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        this.fileName = fileName;
        this.arguments = arguments;
        this.workingDirectory = workingDirectory;
        this.environment = environment;
    }

    public string Name { get; }

    /// <summary>The CPU group each start of the process joins (a pod's share of the cores), or none.</summary>
    public CpuGroups.Group? CpuGroup { get; set; }

    public int? Id => process is { HasExited: false } p ? p.Id : null;

    /// <summary>How the last run ended; null while it runs.</summary>
    public int? ExitCode => process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>
    /// A built .NET program of the repository (e.g. <c>services/Platform.Silo</c>), run with <c>dotnet</c>: from its build
    /// output, or, when <c>PLATFORM_PUBLISHED</c> names a folder, from that folder's subfolder of the project's name (as
    /// <c>tools/load/rehearsal.sh --ready-to-run</c> publishes them).
    /// </summary>
    public static PlatformProcess Dotnet(string name, string projectFolder, IReadOnlyDictionary<string, string> environment)
    {
        var folder = Path.Combine(Repository.Root, projectFolder);
        var program = Path.GetFileName(projectFolder) + ".dll";
        var published = Environment.GetEnvironmentVariable("PLATFORM_PUBLISHED");
        var dll = string.IsNullOrEmpty(published)
            ? Path.Combine(folder, "bin", Repository.Configuration, "net10.0", program)
            : Path.Combine(published, Path.GetFileName(projectFolder), program);
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is not built; build the solution first (or publish it, for PLATFORM_PUBLISHED).", dll);
        // PLATFORM_TIERED_COMPILATION=0 (tools/load/rehearsal.sh --no-tiering): the platform's processes run without
        // tiered compilation, as an image may (DOTNET_TieredCompilation=0); the tests' own process keeps its default.
        if (Environment.GetEnvironmentVariable("PLATFORM_TIERED_COMPILATION") is { Length: > 0 } tiered)
        {
            environment = new Dictionary<string, string>(environment) { ["DOTNET_TieredCompilation"] = tiered };
        }
        // PLATFORM_TIERED_PGO=0 (tools/load/rehearsal.sh --no-pgo): the same for dynamic PGO (DOTNET_TieredPGO=0).
        if (Environment.GetEnvironmentVariable("PLATFORM_TIERED_PGO") is { Length: > 0 } pgo)
        {
            environment = new Dictionary<string, string>(environment) { ["DOTNET_TieredPGO"] = pgo };
        }
        return new PlatformProcess(name, "dotnet", [dll], folder, environment);
    }

    /// <summary>Starts the process with its settings, and with <paramref name="overrides"/> over them for this start only.</summary>
    public void Start(params (string Key, string Value)[] overrides)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // Nothing of the test runner's own settings leaks in (its environment name, its URLs).
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment) info.Environment[key] = value;
        foreach (var (key, value) in overrides) info.Environment[key] = value;
        var started = Process.Start(info) ?? throw new InvalidOperationException($"{Name} did not start");
        CpuGroup?.Join(started.Id);
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;
        Append($"--- {Name} started (pid {started.Id}) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye to the cluster.</summary>
    public void KillHard()
    {
        if (process is not { HasExited: false } p) return;
        Append($"--- {Name} killed (SIGKILL) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        p.Kill(entireProcessTree: true);
        p.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then waits for a graceful exit; true when it exited within the timeout (else it is killed).</summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (process is not { HasExited: false } p) return true;
        Append($"--- {Name} asked to stop (SIGTERM) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
            Append($"--- {Name} exited ({p.ExitCode}) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
            return true;
        }
        catch (OperationCanceledException)
        {
            KillHard();
            return false;
        }
    }

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            // Keep the last part only: a long run logs a lot.
            if (output.Length > 4_000_000) output.Remove(0, 2_000_000);
            // A log entry's first line ("warn: Category[id]") gets the moment it arrived, to line it up with the load's figures.
            if (line.Length > 5 && line[4] == ':' && line.AsSpan(0, 4) is "info" or "warn" or "fail" or "crit")
            {
                output.Append(line).Append(" @ ").AppendLine(DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture));
                return;
            }
            output.AppendLine(line);
        }
    }

    public ValueTask DisposeAsync()
    {
        KillHard();
        process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
