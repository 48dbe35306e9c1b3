using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Platform.WebAdmin.Persistence;

/// <summary>
/// A refresh token being traded, or just traded, by one web-app instance, so that every other instance
/// holding the same (now spent) token uses the result instead of spending it again.
/// </summary>
public sealed class TokenExchange
{
    /// <summary>SHA-256 of the refresh token spent (hex): the token itself is never stored.</summary>
    public string SpentTokenHash { get; set; } = "";

    /// <summary>When the instance doing the exchange took it on (Unix milliseconds).</summary>
    public long ClaimedAt { get; set; }

    /// <summary>The new tokens, protected with the shared Data Protection keys; empty when the identity server refused; null while in flight.</summary>
    public string? Result { get; set; }
}

/// <summary>
/// What the web app's instances share: the Data Protection key ring (cookies, antiforgery and sign-in
/// state one instance writes, every other reads) and the token exchanges in flight.
/// <see cref="SqliteWebAdminStore"/> and <see cref="PostgresWebAdminStore"/> carry each engine's migrations.
/// </summary>
public class WebAdminStore(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public const string ConnectionName = "webadmin-db";

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<TokenExchange> TokenExchanges => Set<TokenExchange>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        var exchange = builder.Entity<TokenExchange>();
        exchange.ToTable("token_exchanges");
        exchange.HasKey(e => e.SpentTokenHash);
        exchange.Property(e => e.SpentTokenHash).HasMaxLength(64);
        exchange.HasIndex(e => e.ClaimedAt);
    }
}

public sealed class SqliteWebAdminStore(DbContextOptions<SqliteWebAdminStore> options) : WebAdminStore(options);

public sealed class PostgresWebAdminStore(DbContextOptions<PostgresWebAdminStore> options) : WebAdminStore(options);

// For `dotnet ef migrations add` only (see README, "Database migrations"); the web app configures the real connection.
internal sealed class SqliteWebAdminDesign : IDesignTimeDbContextFactory<SqliteWebAdminStore>
{
    public SqliteWebAdminStore CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteWebAdminStore>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresWebAdminDesign : IDesignTimeDbContextFactory<PostgresWebAdminStore>
{
    public PostgresWebAdminStore CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresWebAdminStore>().UseNpgsql("Host=127.0.0.1;Database=design").Options);
}
