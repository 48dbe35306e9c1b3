using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Databases;
using Platform.ReadModel;
using Platform.Tests.Shared;

namespace Platform.Gateway.Tests;

/// <summary>The complaint lists' schema comes from migrations, on SQLite and on PostgreSQL (the *.PostgreSQL.Tests run).</summary>
public sealed class ReadModelMigrationTests
{
    [Fact]
    public void The_model_has_no_changes_without_a_migration_on_either_engine()
    {
        using var sqlite = new SqliteComplaintListStore(new DbContextOptionsBuilder<SqliteComplaintListStore>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgresComplaintListStore(new DbContextOptionsBuilder<PostgresComplaintListStore>().UseNpgsql("Host=127.0.0.1").Options);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "SQLite: run dotnet ef migrations add (README, Database migrations)");
        Assert.False(postgres.Database.HasPendingModelChanges(), "PostgreSQL: run dotnet ef migrations add (README, Database migrations)");
    }

    [Fact]
    public async Task A_read_model_made_before_migrations_is_adopted_and_keeps_its_rows()
    {
        var settings = await TestDatabase.SettingsAsync("readmodel", Path.Combine(Path.GetTempPath(), $"readmodel-migration-{Guid.NewGuid():N}"));
        var connection = TestDatabase.IsPostgres
            ? new DatabaseConnection(DatabaseProvider.PostgreSQL, settings["ConnectionStrings:readmodel"]!)
            : DatabaseConnection.Sqlite(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(settings["ConnectionStrings:readmodel"]).DataSource);
        await using var services = new ServiceCollection().AddLogging().AddComplaintList(connection).BuildServiceProvider();
        var migrator = new DatabaseMigrator<ComplaintListStore>(services, NullLogger<DatabaseMigrator<ComplaintListStore>>.Instance);
        var stores = services.GetRequiredService<IDbContextFactory<ComplaintListStore>>();
        await using (var store = await stores.CreateDbContextAsync())
        {
            // What EnsureCreated made before there were migrations: the first migration's tables, no history.
            await store.Database.MigrateAsync(store.Database.GetMigrations().First());
            // Written with that migration's columns only (the model of today has more).
            await store.Database.ExecuteSqlRawAsync("""
                INSERT INTO complaints ("Id", "Version", "ArrangementId", "Municipality", "AuthorSubject", "ServiceCode", "Status", "Description", "FiledAt", "ResolveBy", "Overdue")
                VALUES ('c-1', 3, 'afval-nhn', 'GM0405', 's', 'rest', 'Open', '', 1700000000000, '2026-12-01', FALSE)
                """);
            await store.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"");
        }

        await migrator.StartAsync(CancellationToken.None);

        await using var after = await stores.CreateDbContextAsync();
        Assert.Equal(after.Database.GetMigrations(), await after.Database.GetAppliedMigrationsAsync());
        var row = await after.Complaints.SingleAsync();
        Assert.Equal(("c-1", 3L, "Open"), (row.Id, row.Version, row.Status));
        // Later migrations' columns: the last change is the filing until the next write, and no public place yet.
        Assert.Equal((1700000000000L, (double?)null), (row.UpdatedAt, row.PublicLatitude));
    }
}
