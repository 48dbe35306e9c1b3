using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Platform.ReadModel;

namespace Platform.Gateway.Complaints;

/// <summary>
/// How many complaints a list's filters match, kept by the list's version (<see cref="ComplaintListVersion"/>). A list
/// page's total is a count of every visible row that matches, and at scale that count is most of a page's database
/// work (the scale seed copied tenfold to 100,000 rows: the 66,670 rows of the executing organisation's triage filter
/// counted in 16 ms by SQLite, against under 1 ms for the page of 20 itself). The database raises the list's version in
/// the same transaction as every change to a row, so a count taken after reading version N is served again only while
/// the version is still N: it is never older than the rows, on this gateway or any other.
/// <para>
/// A count is kept per visible part of the caller (<see cref="ComplaintLists.VisibleParts.Key"/>) and filter. Bounded:
/// at most <see cref="MaxEntries"/>, the least used dropped first, one unread for <see cref="Idle"/> let go.
/// </para>
/// </summary>
public sealed class ListCounts : IDisposable
{
    public const int MaxEntries = 10_000;
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private static readonly Meter Meter = new("Platform.Gateway.ListCounts");
    private static readonly Counter<long> Reads = Meter.CreateCounter<long>("platform.gateway.list_counts",
        description: "List totals, by where they came from (kept for the list's version, or counted in the database).");
    private static readonly MemoryCacheEntryOptions EntryOptions = new() { Size = 1, SlidingExpiration = Idle };

    private sealed record Kept(long Version, int Count);

    private readonly MemoryCache kept = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private long served;
    private long counted;

    /// <summary>Totals served from what was kept, and counted in the database, since the start (for tests and the benchmarks).</summary>
    public (long Kept, long Counted) Counts => (Interlocked.Read(ref served), Interlocked.Read(ref counted));

    /// <summary>
    /// The number of <paramref name="rows"/>: kept when it was counted at <paramref name="version"/>, else counted now.
    /// No key or no version (a database without the version's row): counted, and not kept.
    /// </summary>
    public async Task<int> CountAsync(IQueryable<ComplaintRow> rows, string? key, long? version, CancellationToken cancellationToken)
    {
        if (key is not null && version is { } now && kept.TryGetValue(key, out Kept? known) && known!.Version == now)
        {
            Interlocked.Increment(ref served);
            Reads.Add(1, new KeyValuePair<string, object?>("source", "kept"));
            return known.Count;
        }
        var count = await rows.CountAsync(cancellationToken);
        Interlocked.Increment(ref counted);
        Reads.Add(1, new KeyValuePair<string, object?>("source", "counted"));
        // Counted after the version was read: it holds every change up to that version, perhaps one more, never fewer.
        if (key is not null && version is { } read) kept.Set(key, new Kept(read, count), EntryOptions);
        return count;
    }

    public void Dispose() => kept.Dispose();
}
