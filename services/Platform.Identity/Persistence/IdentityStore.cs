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

/// <summary>Accounts, roles and OpenIddict's applications, authorizations, scopes and tokens.</summary>
public sealed class IdentityStore(DbContextOptions<IdentityStore> options) : IdentityDbContext<PlatformUser>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<PlatformUser>().Property(u => u.Organisation).HasMaxLength(64);
        builder.Entity<PlatformUser>().Property(u => u.DisplayName).HasMaxLength(200);
    }
}
