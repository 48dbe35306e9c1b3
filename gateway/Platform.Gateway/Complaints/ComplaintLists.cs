using System.Linq.Expressions;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Domain.Complaints;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains.Complaints;
using Platform.ReadModel;

namespace Platform.Gateway.Complaints;

public sealed class ComplaintFilter
{
    public string? ArrangementId { get; set; }
    public List<ComplaintStatus>? Status { get; set; }
    public string? ServiceCode { get; set; }
    public bool? Overdue { get; set; }
    public string? Text { get; set; }
    public DateOnly? FiledFrom { get; set; }
    public DateOnly? FiledTo { get; set; }
}

public sealed class ComplaintFilterType : InputObjectGraphType<ComplaintFilter>
{
    public ComplaintFilterType()
    {
        Name = "ComplaintFilter";
        Field<IdGraphType>("arrangementId");
        Field<ListGraphType<NonNullGraphType<ComplaintStatusType>>>("status");
        Field(x => x.ServiceCode, nullable: true);
        Field(x => x.Overdue, nullable: true);
        Field(x => x.Text, nullable: true).Description("Words in the description.");
        Field<CalendarDateGraphType>("filedFrom");
        Field<CalendarDateGraphType>("filedTo");
    }
}

public sealed record ComplaintFigures(int Total, int Open, int Overdue, double? ResolvedOnTimePercent, double? MedianDaysToResolve);

public sealed class ComplaintFiguresType : ObjectGraphType<ComplaintFigures>
{
    public ComplaintFiguresType()
    {
        Name = "ComplaintFigures";
        Description = "A municipality's complaints about one arrangement.";
        Field(x => x.Total);
        Field(x => x.Open);
        Field(x => x.Overdue);
        Field(x => x.ResolvedOnTimePercent, nullable: true).Description("Of the resolved ones, the share resolved by their resolve-by date.");
        Field(x => x.MedianDaysToResolve, nullable: true);
    }
}

public sealed class ComplaintEdgeType() : EdgeType<ComplaintType, ComplaintSnapshot>(ComplaintType.TypeName);
public sealed class ComplaintConnectionType() : ConnectionType<ComplaintType, ComplaintEdgeType, ComplaintSnapshot>(ComplaintType.TypeName);

/// <summary>Lists and figures from the read model, narrowed to the complaints the caller may see.</summary>
public static class ComplaintLists
{
    private const string CursorType = "ComplaintCursor";
    private static readonly IReadOnlyList<string> OpenStatuses = ComplaintWorkflow.OpenNames;

    /// <summary>
    /// The same rule as <see cref="ComplaintPolicy"/>, as queries: the organisation's complaints (its municipality's, or
    /// those it executes) and the caller's own. Each part is one indexed condition; with the parts kept apart, a page is
    /// read in filing order straight from each part's index, where one query with the conditions joined by OR made
    /// SQLite gather and sort every visible row (at 100,000 rows 34 ms for the executor's staff, against 0.1 ms).
    /// </summary>
    public static VisibleParts PartsOf(Caller caller)
    {
        // No sentinel values for "nobody": PostgreSQL text cannot hold the NUL character SQLite accepted.
        var org = caller.Organisation;
        var municipal = org is not null && ComplaintPolicy.ActsForMunicipality(caller);
        var executor = org is not null && ComplaintPolicy.ActsForExecutor(caller);
        Expression<Func<ComplaintRow, bool>>? organisation = (municipal, executor) switch
        {
            (true, true) => r => r.Municipality == org || r.ExecutingOrganisation == org,
            (true, false) => r => r.Municipality == org,
            (false, true) => r => r.ExecutingOrganisation == org,
            _ => null,
        };
        var subject = caller.Kind == CallerKind.User ? caller.Subject.ToLowerInvariant() : null; // rows keep it in lower case
        Expression<Func<ComplaintRow, bool>>? own = subject is null ? null : r => r.AuthorSubject == subject;
        return new(organisation, own, $"{(municipal ? "m" : "")}{(executor ? "e" : "")}:{(organisation is null ? "" : org)}:{subject}");
    }

    /// <summary>
    /// The rows a caller may see, as two disjoint queries: the organisation's, and the caller's own that are not also the
    /// organisation's (few: a person files a handful). <paramref name="Key"/> names what the two conditions select (the
    /// same for every caller with the same organisation, way of acting for it and subject), so that what was counted of
    /// them can be kept (<see cref="ListCounts"/>); null: nothing kept.
    /// </summary>
    public sealed record VisibleParts(Expression<Func<ComplaintRow, bool>>? Organisation, Expression<Func<ComplaintRow, bool>>? Own, string? Key = null)
    {
        public IEnumerable<(string Name, IQueryable<ComplaintRow> Rows)> Of(IQueryable<ComplaintRow> rows)
        {
            if (Organisation is not null) yield return ("organisation", rows.Where(Organisation));
            if (Own is not null)
            {
                var own = rows.Where(Own);
                yield return ("own", Organisation is null ? own : own.Where(Not(Organisation)));
            }
        }

        private static Expression<Func<ComplaintRow, bool>> Not(Expression<Func<ComplaintRow, bool>> condition) =>
            Expression.Lambda<Func<ComplaintRow, bool>>(Expression.Not(condition.Body), condition.Parameters);
    }

    public static async Task<Connection<ComplaintSnapshot>> PageAsync(IResolveFieldContext ctx)
    {
        var caller = ctx.Caller();
        if (!caller.IsAuthenticated) AccessErrors.Enforce(Decision.Unauthenticated("Sign in to list complaints."));
        var (first, after) = Paging.Read(ctx, CursorType);
        var filter = ctx.GetArgument<ComplaintFilter?>("filter") ?? new ComplaintFilter();
        (long FiledAt, string Id)? cursor = after is null ? null : ParseCursor(after);
        await using var store = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync(ctx.CancellationToken);
        var (page, total) = await ReadPageAsync(store, PartsOf(caller), filter, first, cursor, ctx.CancellationToken,
            ctx.RequestServices!.GetRequiredService<ListCounts>());
        var hasNext = page.Count > first;
        if (hasNext) page.RemoveAt(first);
        var snapshots = await ctx.RequestServices!.GetRequiredService<ListedComplaints>().ReadAsync(page, caller);
        var edges = page.Zip(snapshots).Where(x => x.Second is not null)
            .Select(x => new Edge<ComplaintSnapshot>(Paging.Cursor(CursorType, $"{x.First.FiledAt}:{x.First.Id}"), x.Second!)).ToList();
        return new(edges, new PageInfo(hasNext, after is not null, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor), total);
    }

    /// <summary>
    /// Up to <paramref name="first"/> + 1 rows after the cursor, newest first (the extra one tells that a next page exists),
    /// and how many rows match in all: counted, or with <paramref name="counts"/> told again from what was counted at the
    /// list's current version.
    /// </summary>
    public static async Task<(List<ComplaintRow> Page, int Total)> ReadPageAsync(
        ComplaintListStore store, VisibleParts parts, ComplaintFilter filter, int first, (long FiledAt, string Id)? cursor, CancellationToken cancellationToken,
        ListCounts? counts = null)
    {
        var total = 0;
        var page = new List<ComplaintRow>();
        // One connection for the page's queries (the version, each part's count and rows), where EF Core opens and closes
        // it around each; it closes when the store is disposed.
        await store.Database.OpenConnectionAsync(cancellationToken);
        // Read before counting: a count taken after it holds every change up to this version (see ListCounts).
        var version = counts is null || parts.Key is null ? null : await ComplaintListVersion.ReadAsync(store, cancellationToken);
        var filterKey = version is null ? null : KeyOf(filter);
        // One part after the other: a DbContext runs one query at a time.
        foreach (var (name, part) in parts.Of(store.Complaints.AsNoTracking()))
        {
            var rows = Filter(store, part, filter);
            total += counts is null ? await rows.CountAsync(cancellationToken)
                : await counts.CountAsync(rows, filterKey is null ? null : $"{parts.Key}|{name}|{filterKey}", version, cancellationToken);
            if (cursor is var (filedAt, id))
            {
                rows = rows.Where(r => r.FiledAt < filedAt || (r.FiledAt == filedAt && string.Compare(r.Id, id) < 0));
            }
            page.AddRange(await rows.OrderByDescending(r => r.FiledAt).ThenByDescending(r => r.Id).Take(first + 1).ToListAsync(cancellationToken));
        }
        // The parts are disjoint; merged in filing order (ties, filed in the same millisecond, by id).
        return (page.OrderByDescending(r => r.FiledAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Take(first + 1).ToList(), total);
    }

    public static async Task<ComplaintFigures> FiguresAsync(IResolveFieldContext ctx)
    {
        var caller = ctx.Caller();
        if (!caller.IsAuthenticated) AccessErrors.Enforce(Decision.Unauthenticated("Sign in to see figures."));
        if (!ComplaintPolicy.IsMunicipalStaff(caller) || caller.Organisation is null)
        {
            AccessErrors.Enforce(Decision.Forbidden("Figures are for the staff of a member municipality."));
        }
        var arrangement = GlobalId.KeyOf(ArrangementType.TypeName, ctx.GetArgument<string>("arrangementId"));
        await using var store = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync(ctx.CancellationToken);
        var rows = await store.Complaints.AsNoTracking()
            .Where(r => r.ArrangementId == arrangement && r.Municipality == caller.Organisation)
            .Select(r => new { r.Status, r.Overdue, r.FiledAt, r.ResolvedAt, r.ResolveBy })
            .ToListAsync(ctx.CancellationToken);
        var resolved = rows.Where(r => r.ResolvedAt is not null).ToList();
        var days = resolved.Select(r => (r.ResolvedAt!.Value - r.FiledAt) / 86_400_000.0).Order().ToList();
        double? median = days.Count == 0 ? null : days.Count % 2 == 1 ? days[days.Count / 2] : (days[days.Count / 2 - 1] + days[days.Count / 2]) / 2;
        double? onTime = resolved.Count == 0 ? null : 100.0 * resolved.Count(r =>
            Platform.Domain.Calendar.AmsterdamCalendar.DateOf(DateTimeOffset.FromUnixTimeMilliseconds(r.ResolvedAt!.Value)) <= r.ResolveBy) / resolved.Count;
        return new(rows.Count, rows.Count(r => OpenStatuses.Contains(r.Status)), rows.Count(r => r.Overdue && OpenStatuses.Contains(r.Status)),
            onTime is null ? null : Math.Round(onTime.Value, 1), median is null ? null : Math.Round(median.Value, 2));
    }

    /// <summary>The triage page's filters as conditions (shared by the list and the CSV export).</summary>
    public static IQueryable<ComplaintRow> Filter(ComplaintListStore store, IQueryable<ComplaintRow> rows, ComplaintFilter filter)
    {
        if (filter.ArrangementId is { } arrangement)
        {
            var key = GlobalId.KeyOf(ArrangementType.TypeName, arrangement);
            rows = rows.Where(r => r.ArrangementId == key);
        }
        if (filter.Status is { Count: > 0 } statuses)
        {
            var names = statuses.Select(s => s.ToString()).ToList();
            rows = rows.Where(r => names.Contains(r.Status));
        }
        if (filter.ServiceCode is { } service) rows = rows.Where(r => r.ServiceCode == service);
        if (filter.Overdue is { } overdue) rows = rows.Where(r => r.Overdue == overdue);
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            if (filter.Text.Length > 200) throw new ExecutionError("'text' is at most 200 characters.") { Code = "BAD_USER_INPUT" };
            rows = store.WithText(rows, filter.Text.Trim());
        }
        if (filter.FiledFrom is { } from)
        {
            var ms = Platform.Domain.Calendar.AmsterdamCalendar.StartOf(from).ToUnixTimeMilliseconds();
            rows = rows.Where(r => r.FiledAt >= ms);
        }
        if (filter.FiledTo is { } to)
        {
            var ms = Platform.Domain.Calendar.AmsterdamCalendar.StartOf(to.AddDays(1)).ToUnixTimeMilliseconds();
            rows = rows.Where(r => r.FiledAt < ms);
        }
        return rows;
    }

    /// <summary>The filter as its conditions read it (<see cref="Filter"/>): equal keys, equal conditions (JSON, so no value can pass for another).</summary>
    private static string KeyOf(ComplaintFilter filter) => System.Text.Json.JsonSerializer.Serialize(new string?[]
    {
        filter.ArrangementId is { } arrangement ? GlobalId.KeyOf(ArrangementType.TypeName, arrangement) : null,
        filter.Status is { Count: > 0 } statuses ? string.Join(',', statuses.Select(s => s.ToString()).Distinct().Order(StringComparer.Ordinal)) : null,
        filter.ServiceCode,
        filter.Overdue?.ToString(),
        string.IsNullOrWhiteSpace(filter.Text) ? null : filter.Text.Trim().ToLower(),
        filter.FiledFrom?.ToString("O"),
        filter.FiledTo?.ToString("O"),
    });

    private static (long FiledAt, string Id) ParseCursor(string cursor)
    {
        var colon = cursor.IndexOf(':');
        return colon > 0 && long.TryParse(cursor[..colon], out var filedAt)
            ? (filedAt, cursor[(colon + 1)..])
            : throw new ExecutionError($"'after' is not a cursor of this list: '{cursor}'.") { Code = "BAD_USER_INPUT" };
    }
}
