extern alias identity;
using identity::Platform.Identity.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Platform.Tests.Shared;

namespace Platform.Identity.Tests;

/// <summary>The identity database's schema comes from migrations, on SQLite and on PostgreSQL (the *.PostgreSQL.Tests run).</summary>
public sealed class MigrationTests
{
    private static IdentityStore Open(Dictionary<string, string?> database)
    {
        var connection = database["ConnectionStrings:identity-db"]!;
        return TestDatabase.IsPostgres
            ? new PostgresIdentityStore(new DbContextOptionsBuilder<PostgresIdentityStore>().UseNpgsql(connection).UseOpenIddict().Options)
            : new SqliteIdentityStore(new DbContextOptionsBuilder<SqliteIdentityStore>().UseSqlite(connection).UseOpenIddict().Options);
    }

    [Fact]
    public void The_model_has_no_changes_without_a_migration_on_either_engine()
    {
        using var sqlite = new SqliteIdentityStore(new DbContextOptionsBuilder<SqliteIdentityStore>().UseSqlite("Data Source=:memory:").UseOpenIddict().Options);
        using var postgres = new PostgresIdentityStore(new DbContextOptionsBuilder<PostgresIdentityStore>().UseNpgsql("Host=127.0.0.1").UseOpenIddict().Options);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "SQLite: run dotnet ef migrations add (README, Database migrations)");
        Assert.False(postgres.Database.HasPendingModelChanges(), "PostgreSQL: run dotnet ef migrations add (README, Database migrations)");
        Assert.Equal(sqlite.Database.GetMigrations().Select(Name), postgres.Database.GetMigrations().Select(Name));
    }

    private static string Name(string migrationId) => migrationId[(migrationId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    [Fact]
    public async Task A_database_made_before_migrations_is_adopted_migrated_and_keeps_its_accounts()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"identity-migration-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var database = await TestDatabase.SettingsAsync("identity-db", folder);
        await using (var today = await IdentityHost.StartAsync(database))
        {
            await new TokenClient(today.Url).SignInAsync("board@demo.test");
        }

        // Back to what EnsureCreated made before there were migrations: the first migration's tables, no history.
        await using (var store = Open(database))
        {
            await store.GetService<IMigrator>().MigrateAsync(store.Database.GetMigrations().First());
            await store.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"");
            await Assert.ThrowsAnyAsync<Exception>(() => store.DataProtectionKeys.CountAsync());
            Assert.True(await store.Users.AnyAsync(u => u.Email == "board@demo.test"));
        }

        await using var upgraded = await IdentityHost.StartAsync(database);
        var tokens = await new TokenClient(upgraded.Url).SignInAsync("board@demo.test");

        Assert.False(string.IsNullOrEmpty(tokens["access_token"]?.GetValue<string>()));
        await using var after = Open(database);
        Assert.Equal(after.Database.GetMigrations(), await after.Database.GetAppliedMigrationsAsync());
        // The sign-in form's antiforgery token needed a key: it is in the shared key ring now.
        Assert.True(await after.DataProtectionKeys.AnyAsync());
        Assert.Equal(1, await after.Users.CountAsync(u => u.Email == "board@demo.test"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
