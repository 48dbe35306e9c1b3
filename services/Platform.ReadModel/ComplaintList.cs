using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Databases;

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
    /// <summary>Unix milliseconds of the last change (filing, or the last step in its history).</summary>
    public long UpdatedAt { get; set; }
    /// <summary>
    /// The place rounded to the public grid (<c>PublicReports.Round</c>), never the exact one: the public map and
    /// Open311 without a key read these columns.
    /// </summary>
    public double? PublicLatitude { get; set; }
    public double? PublicLongitude { get; set; }
    /// <summary>
    /// Unix milliseconds of the next moment the clock can change this complaint (a promised date passing, the automatic
    /// closing), or null when it can change nothing any more: the service-level sweep checks the rows that are due.
    /// </summary>
    public long? NextCheckAt { get; set; }
}

/// <summary>
/// The version of the complaint list as a whole: one row, whose number the database raises in the same transaction as
/// any change to the <c>complaints</c> table (a trigger, so every writer counts: the grains, a rebuild, a silo of the
/// version before during a rolling update, a hand-written fix). While it holds a number, no row has changed since;
/// so what was counted at that number can be told again (<c>ListCounts</c> in the gateway).
/// </summary>
public sealed class ComplaintListVersion
{
    public const int RowId = 1;
    public int Id { get; set; }
    public long Value { get; set; }

    /// <summary>The number now; null only where the row is missing (a database not migrated this far).</summary>
    public static async Task<long?> ReadAsync(ComplaintListStore store, CancellationToken cancellationToken) =>
        await store.ListVersion.AsNoTracking().Where(v => v.Id == RowId).Select(v => (long?)v.Value).SingleOrDefaultAsync(cancellationToken);
}

/// <summary>
/// The event log: every event once (unique by its id), numbered in the order it was appended, so partners and the
/// notifier read on from the last number they saw.
/// </summary>
public sealed class EventRow
{
    public long Sequence { get; set; }
    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    /// <summary>Unix milliseconds.</summary>
    public long Time { get; set; }
    public string Subject { get; set; } = "";
    public string? ArrangementId { get; set; }
    public string? Municipality { get; set; }
    public string? ExecutingOrganisation { get; set; }
    public string? Person { get; set; }
    public string Data { get; set; } = "";
}

public enum DeliveryStatus
{
    Pending = 0,
    Sent = 1,
    /// <summary>Given up after retrying for <c>NotificationDispatcher.GiveUpAfter</c>.</summary>
    Failed = 2,
}

/// <summary>One notification to one recipient on one channel for one event; unique, so fanning out twice sends once.</summary>
public sealed class DeliveryRow
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public long EventSequence { get; set; }
    public string Channel { get; set; } = "";
    public string Recipient { get; set; } = "";
    public string Kind { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>Unix milliseconds of the first attempt's due time (the event's time), for giving up after a day.</summary>
    public long CreatedAt { get; set; }
    public long NextAttemptAt { get; set; }
    public long? SentAt { get; set; }
    public long? LastAttemptAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>The complaint lists and the event log. <see cref="SqliteComplaintListStore"/> and <see cref="PostgresComplaintListStore"/> carry each engine's migrations.</summary>
public class ComplaintListStore(DbContextOptions options) : DbContext(options)
{
    public DbSet<ComplaintRow> Complaints => Set<ComplaintRow>();
    public DbSet<EventRow> Events => Set<EventRow>();
    public DbSet<DeliveryRow> Deliveries => Set<DeliveryRow>();
    public DbSet<ComplaintListVersion> ListVersion => Set<ComplaintListVersion>();

    /// <summary>
    /// The rows whose description holds <paramref name="text"/> as written (no wildcards), whatever the case. On PostgreSQL
    /// as <c>ILIKE</c>, which the trigram index answers, so the planner can find a rare word's few rows from the index
    /// and still read a common word's page in filing order; SQLite reads each description (a text index there, FTS5's
    /// trigrams, made a common word's page take 115 ms instead of under 1: see the README's in-process benchmarks).
    /// </summary>
    public IQueryable<ComplaintRow> WithText(IQueryable<ComplaintRow> rows, string text)
    {
        if (!Database.IsNpgsql())
        {
            var lower = text.ToLowerInvariant();
            return rows.Where(r => r.Description.ToLower().Contains(lower));
        }
        var pattern = "%" + text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
        return rows.Where(r => EF.Functions.ILike(r.Description, pattern, @"\"));
    }

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
        // The triage filters (status, service) counted from the index alone: at 100,000 rows 2 ms against 33 ms.
        row.HasIndex(c => new { c.ExecutingOrganisation, c.Status, c.ServiceCode, c.FiledAt });
        row.HasIndex(c => new { c.Municipality, c.Status, c.ServiceCode, c.FiledAt });
        // The service-level sweep: the rows that are due, in the order they became due.
        row.HasIndex(c => new { c.NextCheckAt, c.Id });
        // The list's version is raised by triggers on this table (see the migration ListVersion); SQLite's RETURNING
        // clause, which EF Core uses when saving, cannot be used on a table with AFTER triggers.
        if (Database.IsSqlite()) row.ToTable(t => t.UseSqlReturningClause(false));
        if (Database.IsNpgsql())
        {
            // Word searches (WithText) answered from trigrams: a rare word found without reading every description.
            builder.HasPostgresExtension("pg_trgm");
            row.HasIndex(c => c.Description, "IX_complaints_Description_trigrams").HasMethod("gin").HasOperators("gin_trgm_ops");
        }

        var version = builder.Entity<ComplaintListVersion>();
        version.ToTable("complaint_list_version");
        version.HasKey(v => v.Id);
        version.Property(v => v.Id).ValueGeneratedNever();
        version.HasData(new ComplaintListVersion { Id = ComplaintListVersion.RowId, Value = 0 });

        var e = builder.Entity<EventRow>();
        e.ToTable("events");
        e.HasKey(x => x.Sequence);
        e.Property(x => x.Sequence).ValueGeneratedOnAdd();
        e.Property(x => x.Id).HasMaxLength(200);
        e.Property(x => x.Type).HasMaxLength(100);
        e.Property(x => x.Subject).HasMaxLength(100);
        e.Property(x => x.Municipality).HasMaxLength(64);
        e.Property(x => x.ExecutingOrganisation).HasMaxLength(64);
        e.Property(x => x.Person).HasMaxLength(320);
        e.HasIndex(x => x.Id).IsUnique();
        e.HasIndex(x => new { x.Municipality, x.Sequence });
        e.HasIndex(x => new { x.ExecutingOrganisation, x.Sequence });
        e.HasIndex(x => new { x.ArrangementId, x.Sequence });

        var d = builder.Entity<DeliveryRow>();
        d.ToTable("deliveries");
        d.HasKey(x => x.Id);
        d.Property(x => x.Id).ValueGeneratedOnAdd();
        d.Property(x => x.EventId).HasMaxLength(200);
        d.Property(x => x.Channel).HasMaxLength(20);
        d.Property(x => x.Recipient).HasMaxLength(320);
        d.Property(x => x.Kind).HasMaxLength(40);
        d.HasIndex(x => new { x.EventId, x.Channel, x.Recipient }).IsUnique();
        d.HasIndex(x => new { x.Status, x.NextAttemptAt });
        d.HasIndex(x => new { x.Channel, x.Recipient, x.Id });
    }

    /// <summary>
    /// Writes the row unless the stored one is as new or newer, and appends the <paramref name="events"/> the log does
    /// not hold yet, in one transaction (one write of the database per complaint change). Returns whether it wrote the row.
    /// </summary>
    public async Task<bool> UpsertAsync(ComplaintRow row, IReadOnlyCollection<EventRow>? events = null, CancellationToken cancellationToken = default, bool retried = false)
    {
        var stored = await Complaints.FindAsync([row.Id], cancellationToken);
        var write = stored is null || stored.Version < row.Version;
        if (stored is null)
        {
            Complaints.Add(row);
        }
        else if (write)
        {
            Entry(stored).CurrentValues.SetValues(row);
        }
        var added = events is { Count: > 0 } ? await StageNewEventsAsync(events, cancellationToken) : 0;
        if (!write && added == 0) return false;
        try
        {
            await SaveChangesAsync(cancellationToken);
            return write;
        }
        catch (DbUpdateException) when (!retried)
        {
            // Another writer inserted the row or one of the events first: once more, as an update and without those.
            ChangeTracker.Clear();
            foreach (var e in events ?? []) e.Sequence = 0;
            return await UpsertAsync(row, events, cancellationToken, retried: true);
        }
    }

    /// <summary>
    /// A complaint's write (its row and one event) in a transaction that is rolled back: EF Core compiles the queries
    /// and commands of <see cref="UpsertAsync"/> and the connection opens, and nothing is stored. A starting silo does
    /// this before it takes grains. The event's number is used up, as a failed write's would be.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        var id = $"warm-up-{Guid.NewGuid():N}";
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await UpsertAsync(new ComplaintRow { Id = id, Version = 1, Status = "warm-up" },
            [new EventRow { Id = id, Type = "warm-up", Subject = id, Data = "{}" }], cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        ChangeTracker.Clear();
    }

    /// <summary>Appends the events the log does not hold yet (by id); returns how many it added.</summary>
    public async Task<int> AppendAsync(IReadOnlyCollection<EventRow> events, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var added = await StageNewEventsAsync(events, cancellationToken);
            if (added == 0) return 0;
            try
            {
                await SaveChangesAsync(cancellationToken);
                return added;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another writer appended one of them first: once more, without those.
                ChangeTracker.Clear();
                foreach (var e in events) e.Sequence = 0;
            }
        }
    }

    private async Task<int> StageNewEventsAsync(IReadOnlyCollection<EventRow> events, CancellationToken cancellationToken)
    {
        var ids = events.Select(x => x.Id).ToList();
        var known = await Events.Where(x => ids.Contains(x.Id)).Select(x => x.Id).ToListAsync(cancellationToken);
        var added = events.Where(x => !known.Contains(x.Id)).ToList();
        Events.AddRange(added);
        return added.Count;
    }
}

public sealed class SqliteComplaintListStore(DbContextOptions<SqliteComplaintListStore> options) : ComplaintListStore(options);

public sealed class PostgresComplaintListStore(DbContextOptions<PostgresComplaintListStore> options) : ComplaintListStore(options);

public static class ReadModelSetup
{
    public const string ConnectionName = "readmodel";

    /// <summary>The complaint lists in <c>ConnectionStrings:readmodel</c> (default: <c>.data/readmodel/complaints.db</c>), migrated on start.</summary>
    public static IServiceCollection AddComplaintList(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) =>
        services.AddComplaintList(DatabaseConnection.From(configuration, environment, ConnectionName, Path.Combine("readmodel", "complaints.db")));

    public static IServiceCollection AddComplaintList(this IServiceCollection services, DatabaseConnection connection)
    {
        // The silo and the gateway may share one process (tests): register once.
        if (services.Any(d => d.ServiceType == typeof(IDbContextFactory<ComplaintListStore>))) return services;
        return services.AddPlatformDatabaseFactory<ComplaintListStore, SqliteComplaintListStore, PostgresComplaintListStore>(connection);
    }
}
