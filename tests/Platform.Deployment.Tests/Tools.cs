using System.Diagnostics;

namespace Platform.Deployment.Tests;

/// <summary>The repository the tests run in, and the tools they run in it (npm, node, kubectl, bicep).</summary>
public static class Tools
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }

    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>Runs a command to its end (at most five minutes), with <paramref name="input"/> on its standard input.</summary>
    public static async Task<Result> RunAsync(string command, IEnumerable<string> arguments, string workingDirectory, string? input = null)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new(process.ExitCode, await output, await errors);
    }

    /// <summary>Runs a command that must succeed; a failure names the command and what it printed.</summary>
    public static async Task<string> RunOrThrowAsync(string command, IEnumerable<string> arguments, string workingDirectory, string? input = null)
    {
        var result = await RunAsync(command, arguments, workingDirectory, input);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Errors}{result.Output}");
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}
