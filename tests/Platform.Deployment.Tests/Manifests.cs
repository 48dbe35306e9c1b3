using System.Text.Json.Nodes;

namespace Platform.Deployment.Tests;

/// <summary>
/// Renders a kustomization with kubectl's built-in kustomize and checks every object with
/// infra/kubernetes/validate (the API's schemas and its field names); installs that checker's npm packages once.
/// </summary>
public sealed class Manifests
{
    public static string Folder { get; } = Path.Combine(Repository.Root, "infra", "kubernetes");
    private static readonly string Validator = Path.Combine(Folder, "validate");
    private static readonly SemaphoreSlim Installing = new(1, 1);
    private static bool installed;

    private static async Task InstallAsync()
    {
        await Installing.WaitAsync();
        try
        {
            if (installed) return;
            await Repository.RunOrThrowAsync("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], Validator);
            installed = true;
        }
        finally
        {
            Installing.Release();
        }
    }

    public static string Kubectl => Repository.OnPath("kubectl")
        ?? throw new InvalidOperationException("kubectl (which carries kustomize) is not on PATH; this machine's image has it at /usr/bin/kubectl.");

    /// <summary>What `kubectl kustomize` renders for a folder under infra/kubernetes, as YAML.</summary>
    public static Task<string> RenderAsync(string kustomization) =>
        Repository.RunOrThrowAsync(Kubectl, ["kustomize", Path.Combine(Folder, kustomization)], Folder);

    /// <summary>The checker's verdict on some YAML: the objects when every one passes, else its messages.</summary>
    public static async Task<(JsonArray? Objects, string Problems)> CheckAsync(string yaml)
    {
        await InstallAsync();
        var result = await Repository.RunAsync("node", ["validate.mjs"], Validator, yaml);
        return result.ExitCode == 0 ? (JsonNode.Parse(result.Output)!.AsArray(), "") : (null, result.Errors);
    }

    /// <summary>Rendered and checked; a failure names every problem.</summary>
    public static async Task<JsonArray> ValidAsync(string kustomization)
    {
        var (objects, problems) = await CheckAsync(await RenderAsync(kustomization));
        return objects ?? throw new Xunit.Sdk.XunitException($"{kustomization}: {problems}");
    }
}
