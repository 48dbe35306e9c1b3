using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Platform.Identity.Persistence;

/// <summary>An account: a person who signs in, acting for one organisation (a municipality or an executing organisation).</summary>
public sealed class PlatformUser : IdentityUser
{
    /// <summary>The tenant: a CBS code (GM0405) or an executing organisation's id; null for platform operators.</summary>
    public string? Organisation { get; set; }

    public string DisplayName { get; set; } = "";
}

/// <summary>
/// Accounts, roles, OpenIddict's applications, authorizations, scopes and tokens, and the Data Protection
/// keys every identity-server instance shares (its cookies and links stay readable by all of them).
/// <see cref="SqliteIdentityStore"/> and <see cref="PostgresIdentityStore"/> carry each engine's migrations.
/// </summary>
public class IdentityStore(DbContextOptions options) : IdentityDbContext<PlatformUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<PlatformUser>().Property(u => u.Organisation).HasMaxLength(64);
        builder.Entity<PlatformUser>().Property(u => u.DisplayName).HasMaxLength(200);
    }
}

public sealed class SqliteIdentityStore(DbContextOptions<SqliteIdentityStore> options) : IdentityStore(options);

public sealed class PostgresIdentityStore(DbContextOptions<PostgresIdentityStore> options) : IdentityStore(options);
