using System.Diagnostics;

namespace Platform.Tests.Shared;

/// <summary>
/// Azurite's npm package in infra/azurite, installed once for every test assembly that runs at the same time.
/// </summary>
/// <remarks>
/// <c>dotnet test Platform.sln</c> runs assemblies side by side, and on a fresh machine each found no Azurite and ran
/// <c>npm install</c> in the same folder (the AppHost of the end-to-end tests too). One of them could see
/// <c>azurite.js</c> already unpacked, start it before its dependencies were, and wait for a server that had died. So the
/// install takes a lock on a file beside the package (an OS file lock between processes), and the package counts as
/// installed only when npm has written <c>node_modules/.package-lock.json</c>, which it does at the end.
/// </remarks>
public static class AzuriteInstall
{
    public static string Package { get; } = Path.Combine(Repository.Root, "infra", "azurite");

    /// <summary>The script that node runs.</summary>
    public static string Script { get; } = Path.Combine(Package, "node_modules", "azurite", "dist", "src", "azurite.js");

    private static string Complete => Path.Combine(Package, "node_modules", ".package-lock.json");

    private static string LockFile => Path.Combine(Package, "node_modules.lock");

    /// <summary>Installs the package unless a finished install is there; <paramref name="again"/> runs npm regardless.</summary>
    public static async Task<string> EnsureAsync(bool again = false)
    {
        await using var held = await LockAsync(TimeSpan.FromMinutes(6));
        if (again || !File.Exists(Script) || !File.Exists(Complete))
        {
            await Repository.RunOrThrowAsync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], Package);
        }
        return File.Exists(Script) ? Script : throw new FileNotFoundException("npm install in infra/azurite did not give Azurite's script.", Script);
    }

    private static async Task<FileStream> LockAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock on the open file, between processes as well (flock on Linux).
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (watch.Elapsed < timeout)
            {
                await Task.Delay(250);
            }
        }
    }
}
