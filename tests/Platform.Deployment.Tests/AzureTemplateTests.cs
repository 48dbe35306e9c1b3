using System.Reflection;
using System.Text.Json.Nodes;

namespace Platform.Deployment.Tests;

/// <summary>infra/azure/main.bicep, compiled by the Bicep CLI (NuGet's Azure.Bicep.CommandLine) into the ARM template Azure deploys.</summary>
public sealed class AzureTemplateTests
{
    private static readonly string Template = Path.Combine(Repository.Root, "infra", "azure", "main.bicep");

    private static string Bicep()
    {
        var path = typeof(AzureTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Bicep").Value!;
        if (!File.Exists(path)) throw new InvalidOperationException($"The Bicep CLI is not at {path}; restore the test project.");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }
        return path;
    }

    private static Task<Repository.Result> BuildAsync(string file) => Repository.RunAsync(Bicep(), ["build", file, "--stdout"], Path.GetDirectoryName(file)!);

    private static IEnumerable<JsonNode> Resources(JsonNode template, string type) =>
        template["resources"]!.AsArray().Select(r => r!).Where(r => r["type"]!.GetValue<string>() == type);

    [Fact]
    public async Task The_Azure_description_compiles_without_warnings_and_holds_what_the_platform_needs()
    {
        var result = await BuildAsync(Template);
        Assert.True(result.ExitCode == 0 && result.Errors.Trim().Length == 0, result.Errors);
        var template = JsonNode.Parse(result.Output)!;

        // Storage for Orleans (membership, state, reminders) and photos; HTTPS only, nothing public.
        var storage = Assert.Single(Resources(template, "Microsoft.Storage/storageAccounts"));
        Assert.True(storage["properties"]!["supportsHttpsTrafficOnly"]!.GetValue<bool>());
        Assert.False(storage["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>());

        // PostgreSQL on the private network only, with the three databases the README's connection strings name.
        var postgres = Assert.Single(Resources(template, "Microsoft.DBforPostgreSQL/flexibleServers"));
        Assert.Equal("Disabled", postgres["properties"]!["network"]!["publicNetworkAccess"]!.GetValue<string>());
        var databases = Assert.Single(Resources(template, "Microsoft.DBforPostgreSQL/flexibleServers/databases"));
        Assert.Equal("[parameters('postgresAdminPassword')]", postgres["properties"]!["administratorLoginPassword"]!.GetValue<string>());
        Assert.Equal("securestring", template["parameters"]!["postgresAdminPassword"]!["type"]!.GetValue<string>());
        Assert.Contains("createArray('identity', 'readmodel', 'webadmin')", databases["copy"]!["count"]!.GetValue<string>());

        // Every extension a PostgreSQL migration creates is allowed on the server (Azure refuses CREATE EXTENSION otherwise).
        var allowed = Assert.Single(Resources(template, "Microsoft.DBforPostgreSQL/flexibleServers/configurations"), c => c["name"]!.GetValue<string>().Contains("azure.extensions"));
        var created = Directory.EnumerateFiles(Path.Combine(Repository.Root, "services"), "*.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}Postgres{Path.DirectorySeparatorChar}"))
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), @"Npgsql:PostgresExtension:([a-z_0-9]+)").Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        Assert.Contains("pg_trgm", created);
        Assert.All(created, e => Assert.Contains(e.ToUpperInvariant(), allowed["properties"]!["value"]!.GetValue<string>().Split(',')));

        // A cluster that enforces network policies (infra/kubernetes relies on them) and pulls from the registry.
        var cluster = Assert.Single(Resources(template, "Microsoft.ContainerService/managedClusters"));
        Assert.False(string.IsNullOrEmpty(cluster["properties"]!["networkProfile"]!["networkPolicy"]?.GetValue<string>()));
        Assert.Single(Resources(template, "Microsoft.ContainerRegistry/registries"));
        Assert.Single(Resources(template, "Microsoft.Authorization/roleAssignments"));

        // No secret leaves through an output.
        Assert.DoesNotContain(template["outputs"]!.AsObject(), o => o.Key.Contains("password", StringComparison.OrdinalIgnoreCase)
            || o.Value!.ToJsonString().Contains("listKeys", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_misspelt_property_and_a_wrong_value_are_named_by_the_compiler_so_the_test_above_fails_on_them()
    {
        var text = await File.ReadAllTextAsync(Template);
        var folder = Directory.CreateTempSubdirectory("bicep-");
        try
        {
            var misspelt = Path.Combine(folder.FullName, "misspelt.bicep");
            await File.WriteAllTextAsync(misspelt, text.Replace("minimumTlsVersion:", "minimumTlsVersoin:", StringComparison.Ordinal));
            var warned = await BuildAsync(misspelt);
            Assert.Contains("minimumTlsVersoin", warned.Errors);
            Assert.Contains("Did you mean \"minimumTlsVersion\"", warned.Errors);

            var wrong = Path.Combine(folder.FullName, "wrong.bicep");
            await File.WriteAllTextAsync(wrong, text.Replace("backupRetentionDays: 14", "backupRetentionDays: 'two weeks'", StringComparison.Ordinal));
            var refused = await BuildAsync(wrong);
            Assert.Contains("backupRetentionDays", refused.Errors);
            Assert.Contains("Warning", refused.Errors);

            var broken = Path.Combine(folder.FullName, "broken.bicep");
            await File.WriteAllTextAsync(broken, text.Replace("param nodeCount int = 3", "param nodeCount int = 'three'", StringComparison.Ordinal));
            var error = await BuildAsync(broken);
            Assert.NotEqual(0, error.ExitCode);
            Assert.Contains("Error", error.Errors);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
