using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Gateway.Access;
using Platform.Domain.Complaints;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains.Arrangements;
using Platform.ReadModel;

namespace Platform.Gateway.Complaints;

/// <summary>
/// One report as the public sees it (<see cref="PublicReports"/>): service, status, dates and a place on the 50 m grid.
/// Never the text, the address, the photos or who filed it.
/// </summary>
public sealed record PublicReport(
    string Id, string ArrangementId, string? ArrangementName, string ServiceCode, ServiceDefinition? Service, ComplaintStatus Status,
    DateTimeOffset FiledAt, DateTimeOffset UpdatedAt, double? Latitude, double? Longitude, double? DistanceMetres, string AuthorSubject = "")
{
    /// <summary>Whether the caller filed it (compared here; the author is never part of the answer).</summary>
    public bool FiledBy(Caller caller) => caller.Kind == CallerKind.User && string.Equals(caller.Subject, AuthorSubject, StringComparison.OrdinalIgnoreCase);

    public bool Open => ComplaintWorkflow.Open.Contains(Status);
}

/// <summary>A search for public reports: one municipality's, optionally near a place, of one service, open or closed.</summary>
public sealed record PublicReportSearch(string Municipality, GeoPoint? Near = null, int RadiusMetres = 500, string? ArrangementId = null,
    string? ServiceCode = null, bool? Open = null, int Limit = PublicReportSearch.DefaultLimit, IReadOnlyCollection<string>? Ids = null,
    DateTimeOffset? FiledFrom = null, DateTimeOffset? FiledTo = null)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1_000;
}

/// <summary>The public reports, read from the complaint list's public columns; shared by GraphQL and Open311.</summary>
public static class PublicReportQueries
{
    public static async Task<IReadOnlyList<PublicReport>> FindAsync(ComplaintListStore store, IGrainFactory grains, PublicReportSearch search,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hidden = Enum.GetValues<ComplaintStatus>().Where(s => !PublicReports.IsPublic(s)).Select(s => s.ToString()).ToList();
        var open = ComplaintWorkflow.OpenNames.ToList();
        var since = (now - PublicReports.ClosedReportsFor).ToUnixTimeMilliseconds();
        var rows = store.Complaints.AsNoTracking()
            .Where(r => r.Municipality == search.Municipality && !hidden.Contains(r.Status))
            // Open reports while open; closed ones for 90 days after they were filed.
            .Where(r => open.Contains(r.Status) || r.FiledAt >= since);
        if (search.Ids is { } ids) rows = rows.Where(r => ids.Contains(r.Id));
        if (search.FiledFrom is { } from) { var ms = from.ToUnixTimeMilliseconds(); rows = rows.Where(r => r.FiledAt >= ms); }
        if (search.FiledTo is { } to) { var ms = to.ToUnixTimeMilliseconds(); rows = rows.Where(r => r.FiledAt <= ms); }
        if (search.ArrangementId is { } arrangement) rows = rows.Where(r => r.ArrangementId == arrangement);
        if (search.ServiceCode is { } service) rows = rows.Where(r => r.ServiceCode == service);
        if (search.Open is { } wantOpen) rows = wantOpen ? rows.Where(r => open.Contains(r.Status)) : rows.Where(r => !open.Contains(r.Status));
        if (search.Near is { } centre)
        {
            var (sw, ne) = PublicReports.BoxAround(centre, search.RadiusMetres);
            rows = rows.Where(r => r.PublicLatitude >= sw.Latitude && r.PublicLatitude <= ne.Latitude
                                   && r.PublicLongitude >= sw.Longitude && r.PublicLongitude <= ne.Longitude);
        }
        var found = await rows.OrderByDescending(r => r.FiledAt).ThenBy(r => r.Id)
            .Select(r => new { r.Id, r.ArrangementId, r.ServiceCode, r.Status, r.FiledAt, r.UpdatedAt, r.PublicLatitude, r.PublicLongitude, r.AuthorSubject })
            .Take(search.Near is null ? search.Limit : MaxRowsNear)
            .ToListAsync(cancellationToken);

        // Each arrangement read once for its services' names.
        var arrangements = new Dictionary<string, ArrangementSnapshot?>(StringComparer.Ordinal);
        foreach (var id in found.Select(r => r.ArrangementId).Distinct(StringComparer.Ordinal))
        {
            arrangements[id] = await grains.GetGrain<IArrangementGrain>(id).GetAsync();
        }
        var reports = found.Select(r =>
        {
            var a = arrangements[r.ArrangementId];
            double? distance = search.Near is { } c && r.PublicLatitude is { } la && r.PublicLongitude is { } lo
                ? Math.Round(PublicReports.DistanceMetres(c, new(la, lo))) : null;
            return new PublicReport(r.Id, r.ArrangementId, a?.Name, r.ServiceCode, a?.Services.FirstOrDefault(s => s.Code == r.ServiceCode),
                Enum.Parse<ComplaintStatus>(r.Status), DateTimeOffset.FromUnixTimeMilliseconds(r.FiledAt),
                DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(r.UpdatedAt, r.FiledAt)), r.PublicLatitude, r.PublicLongitude, distance, r.AuthorSubject);
        });
        // Near a place: the box's corners are outside the circle, so the exact distance decides, nearest first.
        return search.Near is null
            ? [.. reports]
            : [.. reports.Where(r => r.DistanceMetres <= search.RadiusMetres).OrderBy(r => r.DistanceMetres).ThenByDescending(r => r.FiledAt).Take(search.Limit)];
    }

    /// <summary>Rows read for a search near a place before the exact distance is applied.</summary>
    private const int MaxRowsNear = 5_000;
}

public sealed class PublicReportType : ObjectGraphType<PublicReport>
{
    public PublicReportType()
    {
        Name = "PublicReport";
        Description = "A report as anyone may see it: service, status, dates and its place rounded to about 50 m. Never its text, address, photos or who filed it.";
        Field<NonNullGraphType<StringGraphType>>("key").Description("The complaint's key (its author follows it under this key).").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("arrangementId").Resolve(ctx => ctx.Source.ArrangementId);
        Field<StringGraphType>("arrangementName").Resolve(ctx => ctx.Source.ArrangementName);
        Field<NonNullGraphType<StringGraphType>>("serviceCode").Resolve(ctx => ctx.Source.ServiceCode);
        Field<StringGraphType>("serviceName")
            .Description("The service's name (Dutch), or its English translation when asked for EN; null when the service was removed since.")
            .Argument<LanguageType>("language", "NL (the default) or EN.")
            .Resolve(ctx => ctx.Source.Service?.NameIn(ctx.GetArgument<string?>("language")));
        Field<NonNullGraphType<ComplaintStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<BooleanGraphType>>("open").Description("Not yet resolved or closed.").Resolve(ctx => ctx.Source.Open);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("filedAt").Resolve(ctx => ctx.Source.FiledAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("updatedAt").Resolve(ctx => ctx.Source.UpdatedAt);
        Field<FloatGraphType>("latitude").Description("Rounded to the public grid of about 50 m; null when the report gave no place.").Resolve(ctx => ctx.Source.Latitude);
        Field<FloatGraphType>("longitude").Description("Rounded to the public grid of about 50 m.").Resolve(ctx => ctx.Source.Longitude);
        Field<NonNullGraphType<BooleanGraphType>>("viewerFiled")
            .Description("Whether you filed it yourself (then its changes are mailed to you already, and it is not yours to follow); false when not signed in.")
            .Resolve(ctx => ctx.Source.FiledBy(ctx.Caller()));
        Field<FloatGraphType>("distanceMetres").Description("From the place searched near (rounded place to it), when searching near one.").Resolve(ctx => ctx.Source.DistanceMetres);
    }
}

public sealed class NearInput
{
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public int RadiusMetres { get; set; } = 500;
}

public sealed class NearInputType : InputObjectGraphType<NearInput>
{
    public NearInputType()
    {
        Name = "NearInput";
        Description = "A circle to search in: WGS84 degrees and a radius of 1 to 5,000 m (500 when left out).";
        Field(x => x.Latitude);
        Field(x => x.Longitude);
        Field(x => x.RadiusMetres, nullable: true);
    }
}

public static class PublicReportFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PublicReportType>>>>("publicReports")
            .Description("Public: a municipality's reports (open ones, and closed ones of the last 90 days), newest first, or nearest first near a place. No text, address, photo or person; places rounded to about 50 m. Rejected and duplicate reports are left out.")
            .Argument<NonNullGraphType<StringGraphType>>("municipalityCode", "The municipality's CBS code, e.g. GM0405.")
            .Argument<NearInputType>("near")
            .Argument<StringGraphType>("arrangementId")
            .Argument<StringGraphType>("serviceCode")
            .Argument<BooleanGraphType>("open", "true for open reports only, false for resolved and closed ones only.")
            .Argument<IntGraphType>("first", $"At most this many (1 to {PublicReportSearch.MaxLimit}; {PublicReportSearch.DefaultLimit} when left out).")
            .ResolveAsync(async ctx =>
            {
                var code = MunicipalityCode.Normalize(ctx.GetArgument<string>("municipalityCode"));
                if (!MunicipalityCode.IsValid(code)) throw BadInput($"'municipalityCode' must be a CBS code such as GM0405; it was '{Rules.Echo(ctx.GetArgument<string>("municipalityCode"))}'.");
                var first = ctx.GetArgument("first", PublicReportSearch.DefaultLimit);
                if (first is < 1 or > PublicReportSearch.MaxLimit) throw BadInput($"'first' must be between 1 and {PublicReportSearch.MaxLimit}; it was {first}.");
                GeoPoint? centre = null;
                var radius = 500;
                if (ctx.GetArgument<NearInput?>("near") is { } near)
                {
                    if (PublicReports.NearProblem(near.Latitude, near.Longitude, near.RadiusMetres) is { } problem) throw BadInput("'near': " + problem);
                    (centre, radius) = (new GeoPoint(near.Latitude, near.Longitude), near.RadiusMetres);
                }
                var services = ctx.RequestServices!;
                await using var store = await services.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync(ctx.CancellationToken);
                return await PublicReportQueries.FindAsync(store, ctx.Grains(), new(code, centre, radius, ctx.GetArgument<string?>("arrangementId"),
                    ctx.GetArgument<string?>("serviceCode"), ctx.GetArgument<bool?>("open"), first), services.GetRequiredService<TimeProvider>().GetUtcNow(), ctx.CancellationToken);
            });
    }

    private static ExecutionError BadInput(string message) => new(message) { Code = "BAD_USER_INPUT" };
}
