using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.ReadModel;

/// <summary>
/// One complaint as lists and figures need it. Each complaint grain keeps its row current; the
/// version makes a late or repeated write harmless (an older version never overwrites a newer one).
/// </summary>
public sealed class ComplaintRow
{
    public string Id { get; set; } = "";
    public long Version { get; set; }
    public string ArrangementId { get; set; } = "";
    public string Municipality { get; set; } = "";
    public string? ExecutingOrganisation { get; set; }
    public string AuthorSubject { get; set; } = "";
    public string ServiceCode { get; set; } = "";
    public string Status { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>Unix milliseconds: SQLite cannot order DateTimeOffset values.</summary>
    public long FiledAt { get; set; }
    public long? ResolvedAt { get; set; }
    public DateOnly ResolveBy { get; set; }
    public bool Overdue { get; set; }
}

public sealed class ComplaintListStore(DbContextOptions<ComplaintListStore> options) : DbContext(options)
{
    public DbSet<ComplaintRow> Complaints => Set<ComplaintRow>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        var row = builder.Entity<ComplaintRow>();
        row.ToTable("complaints");
        row.HasKey(c => c.Id);
        row.Property(c => c.Id).HasMaxLength(100);
        row.Property(c => c.Municipality).HasMaxLength(64);
        row.Property(c => c.ExecutingOrganisation).HasMaxLength(64);
        row.Property(c => c.Status).HasMaxLength(20);
        row.HasIndex(c => new { c.Municipality, c.FiledAt });
        row.HasIndex(c => new { c.ExecutingOrganisation, c.FiledAt });
        row.HasIndex(c => new { c.AuthorSubject, c.FiledAt });
        row.HasIndex(c => new { c.ArrangementId, c.Status });
    }

    /// <summary>Writes the row unless the stored one is as new or newer. Returns whether it wrote.</summary>
    public async Task<bool> UpsertAsync(ComplaintRow row, CancellationToken cancellationToken = default)
    {
        var stored = await Complaints.FindAsync([row.Id], cancellationToken);
        if (stored is null)
        {
            Complaints.Add(row);
        }
        else if (stored.Version < row.Version)
        {
            Entry(stored).CurrentValues.SetValues(row);
        }
        else
        {
            return false;
        }
        try
        {
            await SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException) when (stored is null)
        {
            // Another writer inserted it first: try once more as an update.
            ChangeTracker.Clear();
            return await UpsertAsync(row, cancellationToken);
        }
    }
}

public static class ReadModelSetup
{
    /// <summary>PostgreSQL when <c>ConnectionStrings:readmodel</c> is set, else a SQLite file (<c>Platform:ReadModel:Path</c>).</summary>
    public static IServiceCollection AddComplaintList(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) =>
        services.AddComplaintList(
            configuration.GetConnectionString("readmodel"),
            configuration["Platform:ReadModel:Path"] is { Length: > 0 } configured
                ? configured
                : Path.Combine(environment.ContentRootPath, "..", "..", ".data", "readmodel", "complaints.db"));

    public static IServiceCollection AddComplaintList(this IServiceCollection services, string? postgres, string path)
    {
        // The silo and the gateway may share one process (tests): register once.
        if (services.Any(d => d.ServiceType == typeof(IDbContextFactory<ComplaintListStore>))) return services;
        services.AddDbContextFactory<ComplaintListStore>(options =>
        {
            if (!string.IsNullOrWhiteSpace(postgres))
            {
                options.UseNpgsql(postgres);
                return;
            }
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            // WAL lets the gateway read while the silo writes, as two processes.
            options.UseSqlite($"Data Source={full};Cache=Shared;Pooling=True");
        });
        services.AddHostedService<ComplaintListSchema>();
        return services;
    }
}

/// <summary>Creates the table if it is missing (both the silo and the gateway may be first).</summary>
public sealed class ComplaintListSchema(IDbContextFactory<ComplaintListStore> factory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var store = await factory.CreateDbContextAsync(cancellationToken);
                await store.Database.EnsureCreatedAsync(cancellationToken);
                if (store.Database.IsSqlite()) await store.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                return;
            }
            catch (Exception) when (attempt < 5)
            {
                await Task.Delay(200 * attempt, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
