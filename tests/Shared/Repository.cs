using System.Diagnostics;

namespace Platform.Tests.Shared;

/// <summary>The repository the tests run in, the configuration they were built in, and the tools they run in it (npm, node, kubectl, apt-get).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration these tests were built in, and so the platform with them.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name == "Release" ? "Release" : "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }

    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>
    /// Runs a command to its end, with <paramref name="input"/> on its standard input; after five minutes it is killed
    /// (with what it started) and the run fails.
    /// </summary>
    public static async Task<Result> RunAsync(
        string command, IEnumerable<string> arguments, string workingDirectory, string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not finish in five minutes.");
        }
        return new(process.ExitCode, await output, await errors);
    }

    /// <summary>Runs a command that must succeed and returns what it printed; a failure names the command and its errors.</summary>
    public static async Task<string> RunOrThrowAsync(
        string command, IEnumerable<string> arguments, string workingDirectory, string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await RunAsync(command, arguments, workingDirectory, input, environment);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Errors}{result.Output}");
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}
