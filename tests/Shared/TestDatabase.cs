using System.Reflection;

namespace Platform.Tests.Shared;

/// <summary>
/// The engine a test assembly runs its databases on. The *.PostgreSQL.Tests projects compile the same
/// tests as their SQLite siblings and say so in an assembly attribute; they get databases in the
/// run's <see cref="LocalPostgres"/> server, the others a SQLite file in a temporary folder.
/// </summary>
public static class TestDatabase
{
    public static string Provider { get; } = typeof(TestDatabase).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "Platform.TestDatabase")?.Value ?? "Sqlite";

    public static bool IsPostgres => Provider == "PostgreSQL";

    /// <summary>The settings of a fresh database named <paramref name="connectionName"/>: engine and connection string.</summary>
    public static async Task<Dictionary<string, string?>> SettingsAsync(string connectionName, string sqliteFolder) => new()
    {
        ["Platform:Database:Provider"] = Provider,
        [$"ConnectionStrings:{connectionName}"] = IsPostgres
            ? await (await LocalPostgres.SharedAsync()).CreateDatabaseAsync(connectionName)
            : $"Data Source={Path.Combine(sqliteFolder, connectionName + ".db")}",
    };
}
