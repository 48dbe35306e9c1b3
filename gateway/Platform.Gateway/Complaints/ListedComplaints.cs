using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Memory;
using Platform.Domain.Access;
using Platform.Domain.Complaints;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains.Complaints;
using Platform.ReadModel;

namespace Platform.Gateway.Complaints;

/// <summary>
/// The complaints of a list page, by the version their rows carry. A list is read from the read model, and each row
/// names the version of the complaint's state it was written from; a complaint this gateway read before at exactly that
/// version is served from what it kept, and only the others are asked of their grains. So a page is never older than
/// its own rows, and a complaint that changed is read again as soon as its row says so (each grain writes its row
/// before it answers a change). What depends on who asks (their role, the actions open to them) is decided again
/// for each caller by <see cref="ComplaintPolicy.RoleOf"/> and <see cref="ComplaintWorkflow.Allowed"/>, the rules the
/// grain's own read applies, from the row's parties at that same version; a caller the rule does not let see the
/// complaint gets nothing, as from the grain.
/// <para>
/// Measured on a page of 20 at 10,000 complaints: the 20 grain calls were most of a page's work (see the README's
/// scale section). Bounded: at most <see cref="MaxEntries"/> complaints are kept, the least used dropped first, and
/// one unread for <see cref="Idle"/> is let go.
/// </para>
/// </summary>
public sealed class ListedComplaints(GrainReferences grains) : IDisposable
{
    public const int MaxEntries = 20_000;
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    private static readonly Meter Meter = new("Platform.Gateway.Lists");
    private static readonly Counter<long> Reads = Meter.CreateCounter<long>("platform.gateway.listed_complaints",
        description: "Complaints of list pages, by where they came from (kept, or read from their grain).");
    private static readonly MemoryCacheEntryOptions EntryOptions = new() { Size = 1, SlidingExpiration = Idle };

    private readonly MemoryCache kept = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private long servedKept;
    private long readFromGrains;

    /// <summary>Complaints served from what was kept, and read from their grains, since the start (for tests and the benchmarks).</summary>
    public (long Kept, long FromGrains) Counts => (Interlocked.Read(ref servedKept), Interlocked.Read(ref readFromGrains));

    /// <summary>
    /// The complaint of each row as <paramref name="caller"/> sees it, in the rows' order; null where it is gone or
    /// hidden from them. Grain reads carry the caller of the current request context, which must be <paramref name="caller"/>.
    /// </summary>
    public async Task<ComplaintSnapshot?[]> ReadAsync(IReadOnlyList<ComplaintRow> rows, Caller caller)
    {
        var answers = new ComplaintSnapshot?[rows.Count];
        List<Task>? asked = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Version > 0 && kept.TryGetValue(row.Id, out ComplaintSnapshot? known) && known!.Version == row.Version)
            {
                answers[i] = AsSeenBy(known, row, caller);
                Interlocked.Increment(ref servedKept);
            }
            else
            {
                (asked ??= []).Add(AskAsync(i));
            }
        }
        Reads.Add(rows.Count - (asked?.Count ?? 0), new KeyValuePair<string, object?>("source", "kept"));
        if (asked is null) return answers;
        Reads.Add(asked.Count, new KeyValuePair<string, object?>("source", "grain"));
        Interlocked.Add(ref readFromGrains, asked.Count);
        await Task.WhenAll(asked);
        return answers;

        async Task AskAsync(int i)
        {
            var answer = await grains.Get<IComplaintGrain>(rows[i].Id).GetAsync();
            answers[i] = answer;
            if (answer is { Version: > 0 }) kept.Set(rows[i].Id, answer, EntryOptions);
        }
    }

    /// <summary>The kept complaint with the caller's role and actions, decided by the grain's own rules; null when the rule hides it.</summary>
    private static ComplaintSnapshot? AsSeenBy(ComplaintSnapshot complaint, ComplaintRow row, Caller caller)
    {
        var role = ComplaintPolicy.RoleOf(caller, row.AuthorSubject, row.Municipality, row.ExecutingOrganisation);
        if (!ComplaintPolicy.CanSee(role)) return null;
        return role == complaint.ViewerRole ? complaint : complaint with { ViewerRole = role, AllowedActions = ComplaintWorkflow.Allowed(complaint.Status, role) };
    }

    public void Dispose() => kept.Dispose();
}
