using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Platform.Identity.Persistence;

/// <summary>Where the identity database is: <c>ConnectionStrings:identity-db</c>, default <c>.data/identity/identity.db</c>.</summary>
public static class IdentityStoreSetup
{
    public const string ConnectionName = "identity-db";
}

// For `dotnet ef migrations add` only (see README, "Database migrations"); the server configures the real connection.
internal sealed class SqliteIdentityDesign : IDesignTimeDbContextFactory<SqliteIdentityStore>
{
    public SqliteIdentityStore CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteIdentityStore>().UseSqlite("Data Source=design.db").UseOpenIddict().Options);
}

internal sealed class PostgresIdentityDesign : IDesignTimeDbContextFactory<PostgresIdentityStore>
{
    public PostgresIdentityStore CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresIdentityStore>().UseNpgsql("Host=127.0.0.1;Database=design").UseOpenIddict().Options);
}
