using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Platform.Domain.Calendar;
using Platform.Domain.Complaints;
using Platform.Gateway.Access;
using Platform.Domain.Access;
using Platform.Gateway.Complaints;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Gateway.Protection;
using Platform.ReadModel;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Gateway.Exports;

/// <summary>
/// The complaints an organisation's staff see, as CSV, with the triage page's filters:
/// <c>GET /exports/complaints.csv?arrangement=&amp;member=&amp;status=&amp;service=&amp;overdue=&amp;text=&amp;filedFrom=&amp;filedTo=</c>
/// with a bearer token. A member municipality's staff get their municipality's complaints, the executing organisation's
/// staff (and partner clients with <c>complaints:read</c>) those it executes; residents are refused (they follow their own
/// in the portal). Newest first, streamed, at most <see cref="MaxRows"/> rows.
/// </summary>
public static class ComplaintExportEndpoint
{
    public const string Path = "/exports/complaints.csv";
    public const int MaxRows = 100_000;

    public sealed record Filters(ComplaintFilter Filter, string? Member);

    public static readonly DataTable<ComplaintRow> Table = new("complaints", "Complaints",
        "The complaints you may see, newest first, filtered as asked.",
        [
            new("complaint", "The complaint's id.", r => r.Id),
            new("arrangement", "The arrangement it is about.", r => r.ArrangementId),
            new("municipality", "The member municipality it was filed in (CBS code).", r => r.Municipality),
            new("executing_organisation", "The organisation that carries out the service.", r => r.ExecutingOrganisation),
            new("service", "The service's code.", r => r.ServiceCode),
            new("status", "SUBMITTED, ACKNOWLEDGED, IN_PROGRESS, RESOLVED, CLOSED, REJECTED, DUPLICATE or REOPENED.", r => r.Status is { Length: > 0 } s && Enum.TryParse<ComplaintStatus>(s, out var status) ? OpenDataEndpoints.Constant(status) : r.Status),
            new("filed_at", "When it was filed (ISO 8601, UTC).", r => DateTimeOffset.FromUnixTimeMilliseconds(r.FiledAt)),
            new("resolve_by", "The day it should be resolved by under the service level.", r => r.ResolveBy),
            new("overdue", "Open past its resolve-by day.", r => r.Overdue),
            new("resolved_at", "When it was resolved; empty while open.", r => r.ResolvedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null),
            new("description", "What the resident wrote.", r => r.Description),
        ]);

    public static IEndpointRouteBuilder MapComplaintExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ExportAsync);
        return app;
    }

    private static async Task ExportAsync(HttpContext http, IDbContextFactory<ComplaintListStore> stores, Throttle throttle, IGrainFactory grains)
    {
        var (outcome, caller, problem) = await CallerAuthentication.AuthenticateAsync(http);
        if (outcome != CallerAuthentication.Outcome.Authenticated)
        {
            http.Response.Headers.WWWAuthenticate = outcome == CallerAuthentication.Outcome.InvalidToken ? "Bearer error=\"invalid_token\"" : "Bearer";
            await Refuse(http, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED", problem ?? "Sign in as staff of a member municipality or of the executing organisation.");
            return;
        }
        var organisation = ComplaintLists.PartsOf(caller).Organisation;
        if (organisation is null)
        {
            await Refuse(http, StatusCodes.Status403Forbidden, "FORBIDDEN",
                "Exports are for the staff of a member municipality or of the executing organisation; residents follow their own complaints in the portal.");
            return;
        }
        if (throttle.Acquire(RequestLimits.Requests, RequestLimits.PartitionOf(caller, http)) is { Allowed: false } limited)
        {
            http.Response.SetRetryAfter(limited);
            await Refuse(http, StatusCodes.Status429TooManyRequests, "RATE_LIMITED", $"Too many requests from this account; try again in {limited.RetryAfterSeconds} seconds.");
            return;
        }
        var (filters, wrong) = Read(http.Request.Query);
        if (wrong is not null)
        {
            await Refuse(http, StatusCodes.Status400BadRequest, "BAD_USER_INPUT", wrong);
            return;
        }

        // Asking for another party's arrangement or municipality is refused by name, not answered with an empty file.
        if (await OutsideAsync(caller, filters!, grains) is { } outside)
        {
            await Refuse(http, outside.Status, outside.Code, outside.Message);
            return;
        }

        await using var store = await stores.CreateDbContextAsync(http.RequestAborted);
        var rows = ComplaintLists.Filter(store, store.Complaints.AsNoTracking().Where(organisation), filters!.Filter);
        if (filters.Member is { } member) rows = rows.Where(r => r.Municipality == member);
        var ordered = rows.OrderByDescending(r => r.FiledAt).ThenByDescending(r => r.Id).Take(MaxRows).AsAsyncEnumerable();

        http.Response.ContentType = DataFiles.CsvType;
        http.Response.Headers.CacheControl = "private, no-store";
        var day = AmsterdamCalendar.DateOf(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"complaints-{day}.csv\"";
        await Table.WriteCsvAsync(http.Response.Body, ordered, http.RequestAborted);
    }

    /// <summary>The filters from the query string, or what is wrong with one (named, with what it accepts).</summary>
    public static (Filters? Filters, string? Problem) Read(IQueryCollection query)
    {
        var known = new[] { "arrangement", "member", "status", "service", "overdue", "text", "filedFrom", "filedTo" };
        if (query.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return (null, $"'{Short(unknown)}' is not a filter of the export; use {string.Join(", ", known)}.");
        }
        if (query.Keys.FirstOrDefault(k => k != "status" && query[k].Count > 1) is { } repeated)
        {
            return (null, $"'{repeated}' is given more than once.");
        }
        var filter = new ComplaintFilter();
        foreach (var value in query["arrangement"]) filter.ArrangementId = value;
        string? member = null;
        foreach (var value in query["member"]) member = value;
        if (member is { Length: 0 or > 20 }) return (null, $"'member' is a municipality's CBS code such as GM0405, not '{Short(member)}'.");
        if (filter.ArrangementId is { Length: 0 or > 100 }) return (null, "'arrangement' is an arrangement's id of at most 100 characters.");
        var statuses = new List<ComplaintStatus>();
        foreach (var value in query["status"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<ComplaintStatus>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var status) || int.TryParse(value, out _))
            {
                return (null, $"'status' has '{Short(value)}'; use {string.Join(", ", Enum.GetValues<ComplaintStatus>().Select(OpenDataEndpoints.Constant))}.");
            }
            statuses.Add(status);
        }
        if (statuses.Count > 0) filter.Status = statuses;
        foreach (var value in query["service"]) filter.ServiceCode = value is { Length: > 0 and <= 100 } ? value : null;
        foreach (var value in query["overdue"])
        {
            if (!bool.TryParse(value, out var overdue)) return (null, $"'overdue' is true or false, not '{Short(value ?? "")}'.");
            filter.Overdue = overdue;
        }
        foreach (var value in query["text"])
        {
            if (value is { Length: > 200 }) return (null, "'text' is at most 200 characters.");
            filter.Text = value;
        }
        foreach (var (name, set) in new (string, Action<DateOnly>)[] { ("filedFrom", d => filter.FiledFrom = d), ("filedTo", d => filter.FiledTo = d) })
        {
            foreach (var value in query[name])
            {
                if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return (null, $"'{name}' is a date as yyyy-mm-dd, not '{Short(value ?? "")}'.");
                }
                set(date);
            }
        }
        if (filter.FiledFrom > filter.FiledTo) return (null, "'filedFrom' is after 'filedTo'.");
        return (new(filter, member), null);
    }

    /// <summary>
    /// Whether the arrangement or member asked for lies outside what the caller acts for: an arrangement the caller's
    /// organisation is neither a member nor the executing organisation of, or another municipality than the caller's own
    /// (for a municipality's staff).
    /// </summary>
    private static async Task<(int Status, string Code, string Message)?> OutsideAsync(Caller caller, Filters filters, IGrainFactory grains)
    {
        var municipal = ComplaintPolicy.ActsForMunicipality(caller);
        var executor = ComplaintPolicy.ActsForExecutor(caller);
        if (filters.Member is { } member && !executor && member != caller.Organisation)
        {
            return (StatusCodes.Status403Forbidden, "FORBIDDEN", $"You export {caller.Organisation}'s complaints, not {member}'s.");
        }
        if (filters.Filter.ArrangementId is not { } id) return null;
        var key = GlobalId.KeyOf(ArrangementType.TypeName, id);
        using var anonymous = CallerContext.As(Caller.Anonymous);
        if (key.Length == 0 || await grains.GetGrain<IArrangementGrain>(key).GetAsync() is not { } arrangement)
        {
            return (StatusCodes.Status404NotFound, "NOT_FOUND", $"No arrangement has the id '{Short(id)}'.");
        }
        var party = (municipal && arrangement.Members.Any(m => m.MunicipalityCode == caller.Organisation))
            || (executor && arrangement.ExecutingOrganisationId == caller.Organisation);
        return party ? null : (StatusCodes.Status403Forbidden, "FORBIDDEN", $"{caller.Organisation} is not a party of the arrangement '{Short(id)}'.");
    }

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static Task Refuse(HttpContext http, int status, string code, string detail) => DataFiles.Problem(status, code, detail).ExecuteAsync(http);
}
