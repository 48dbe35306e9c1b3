using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using GraphQL;
using GraphQLParser.AST;

namespace Platform.Gateway.GraphQL.Http;

/// <summary>
/// The records of grains with public state (an arrangement, a municipality), kept for queries that run in full, under the
/// same feed and lease as the kept answers: every such grain announces a stored change before its call returns, so a
/// record is dropped before the change it misses has returned to anyone. Unlike answers, a change drops only the record
/// of the grain that changed (votes on a proposal leave the arrangements kept), and a record serves any caller: the
/// records are public, and what a caller may do with them is decided by the resolvers from the caller as before. A
/// record read from its grain is kept only if no change of that grain was announced since the read began; one is served
/// only while the lease holds, for at most <see cref="PublicAnswerSettings.MaxAge"/>. A page of 50 arrangements with their
/// members' names made about 200 grain calls (see the README's scale section); with the records kept it makes one.
/// </summary>
public sealed partial class PublicAnswerCache
{
    private sealed record KeptRecord(object Value, long Ticket, long KeptAt);

    private static readonly Counter<long> RecordReads = Meter.CreateCounter<long>("platform.gateway.public_records",
        description: "Reads of public records (arrangements, municipalities) by queries run in full, by whether a kept record answered.");

    private readonly ConcurrentDictionary<string, KeptRecord> records = new(StringComparer.Ordinal);
    /// <summary>The generation at which each grain's last change was announced: a record read before it is out of date.</summary>
    private readonly ConcurrentDictionary<string, long> changedAt = new(StringComparer.Ordinal);
    /// <summary>Records read before this generation are out of date (a new epoch of the feed, or the lease ended).</summary>
    private long recordFloor;

    private long recordsServed;

    /// <summary>Whether records may be kept and served now: on in the settings, and the feed's lease holding.</summary>
    public bool KeepsRecords => settings.KeepRecords && Subscribed;

    /// <summary>Reads answered by a kept record since the start (for tests).</summary>
    public long RecordsServed => Interlocked.Read(ref recordsServed);

    /// <summary>
    /// The record of <paramref name="grain"/> (a grain id, as the feed names it), when one is kept and still current; with
    /// a <paramref name="facet"/>, what one of its reads answered (a person's access to an organisation), dropped by the
    /// grain's changes all the same.
    /// </summary>
    public bool TryGetRecord<T>(string grain, string? facet, out T? value) where T : class
    {
        if (records.TryGetValue(KeyOf(grain, facet), out var kept) && kept.Value is T known && IsCurrent(grain, kept))
        {
            RecordReads.Add(1, new KeyValuePair<string, object?>("kept", true));
            Interlocked.Increment(ref recordsServed);
            value = known;
            return true;
        }
        RecordReads.Add(1, new KeyValuePair<string, object?>("kept", false));
        value = null;
        return false;
    }

    /// <summary>Keeps what <paramref name="grain"/> answered to a read that began at <paramref name="ticket"/>, unless it changed since.</summary>
    public void KeepRecord(string grain, string? facet, long ticket, object? value)
    {
        if (value is null) return;
        var kept = new KeptRecord(value, ticket, Stopwatch.GetTimestamp());
        if (!IsCurrent(grain, kept)) return;
        if (records.Count >= settings.MaxRecords) records.Clear();
        records[KeyOf(grain, facet)] = kept;
    }

    /// <summary>A facet's record is dropped by its grain's change through <see cref="changedAt"/>, which names the grain.</summary>
    private static string KeyOf(string grain, string? facet) => facet is null ? grain : $"{grain}\n{facet}";

    private bool IsCurrent(string grain, KeptRecord kept) =>
        KeepsRecords
        && kept.Ticket >= Volatile.Read(ref recordFloor)
        && (!changedAt.TryGetValue(grain, out var changed) || kept.Ticket >= changed)
        && Stopwatch.GetElapsedTime(kept.KeptAt) < settings.MaxAge;

    /// <summary>A change of <paramref name="grain"/> was announced (after <see cref="Drop"/> moved the generation on).</summary>
    private void RecordChanged(string grain)
    {
        if (changedAt.Count >= settings.MaxRecords)
        {
            DropRecords();
            return;
        }
        changedAt[grain] = Volatile.Read(ref generation);
        records.TryRemove(grain, out _);
    }

    /// <summary>Nothing kept so far may be served (after <see cref="Drop"/> moved the generation on).</summary>
    private void DropRecords()
    {
        Volatile.Write(ref recordFloor, Volatile.Read(ref generation));
        records.Clear();
        changedAt.Clear();
    }
}

/// <summary>Reads of public records through <see cref="PublicAnswerCache"/>'s kept records.</summary>
public static class PublicRecords
{
    /// <summary>The request asked for a fresh answer (<c>Cache-Control: no-cache</c>): its reads go to the grains.</summary>
    public const string FreshKey = "fresh";

    /// <summary>
    /// The record of <paramref name="grain"/>: kept, or read by <paramref name="read"/> and kept. Only queries use kept
    /// records (a mutation reads what it may just have changed), and only when the request did not ask for a fresh answer.
    /// </summary>
    public static async Task<T?> ReadAsync<T>(IResolveFieldContext context, IAddressable grain, Func<Task<T?>> read) where T : class
    {
        if (context.Operation.Operation != OperationType.Query || context.UserContext.TryGetValue(FreshKey, out var fresh) && fresh is true)
        {
            return await read();
        }
        return await ReadAsync(context.RequestServices!.GetRequiredService<PublicAnswerCache>(), grain, null, read);
    }

    /// <summary>
    /// What <paramref name="read"/> answers of <paramref name="grain"/> (its record, or with <paramref name="facet"/> one of
    /// its reads): kept, or read and kept, while the feed's lease holds. For every request, not only queries: the
    /// request pipeline reads the caller's tenant and access this way.
    /// </summary>
    public static async Task<T?> ReadAsync<T>(PublicAnswerCache cache, IAddressable grain, string? facet, Func<Task<T?>> read) where T : class
    {
        if (!cache.KeepsRecords) return await read();
        var id = grain.GetGrainId().ToString();
        if (cache.TryGetRecord<T>(id, facet, out var kept)) return kept;
        var ticket = cache.Ticket();
        var value = await read();
        cache.KeepRecord(id, facet, ticket, value);
        return value;
    }
}
