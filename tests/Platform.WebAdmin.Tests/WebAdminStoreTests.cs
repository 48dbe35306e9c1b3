using Microsoft.EntityFrameworkCore;
using Platform.WebAdmin.Persistence;

namespace Platform.WebAdmin.Tests;

public sealed class WebAdminStoreTests
{
    [Fact]
    public void The_model_has_no_changes_without_a_migration_on_either_engine()
    {
        using var sqlite = new SqliteWebAdminStore(new DbContextOptionsBuilder<SqliteWebAdminStore>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgresWebAdminStore(new DbContextOptionsBuilder<PostgresWebAdminStore>().UseNpgsql("Host=127.0.0.1").Options);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "SQLite: run dotnet ef migrations add (README, Database migrations)");
        Assert.False(postgres.Database.HasPendingModelChanges(), "PostgreSQL: run dotnet ef migrations add (README, Database migrations)");
    }
}
