using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.Complaints;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Complaints;
using Platform.Grains.Municipalities;
using Platform.ReadModel;
using Platform.Gateway.Complaints;
using Platform.Gateway.Mutations;
using Platform.Grains.Idempotency;
using Platform.Gateway.Protection;
using Platform.ServiceDefaults.RateLimiting;
using Record = System.Collections.Generic.IReadOnlyDictionary<string, object?>;

namespace Platform.Gateway.Open311;

public sealed class Open311Settings
{
    public const string Section = "Platform:Open311";

    /// <summary>Keys issued to partner organisations (civic-reporting apps), each acting for one organisation.</summary>
    public List<Open311ApiKey> ApiKeys { get; set; } = [];
}

public sealed class Open311ApiKey
{
    public string Key { get; set; } = "";
    public string Organisation { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>
/// Open311 GeoReport v2 at /open311/v2, so existing civic-reporting apps can file against the platform.
/// jurisdiction_id is the municipality's CBS code; service codes are "{arrangement}.{service}".
/// Reading requests with an api_key of the municipality's own partner gives them in full; without a key, anyone reads the
/// public view (<see cref="PublicReports"/>: no text, address or person, places rounded to about 50 m).
/// </summary>
public static class Open311Endpoints
{
    public const string Base = "/open311/v2";

    public static IEndpointRouteBuilder MapOpen311(this IEndpointRouteBuilder app)
    {
        app.MapGet($"{Base}/discovery.{{format}}", Discovery);
        app.MapGet($"{Base}/services.{{format}}", ServicesAsync);
        app.MapGet($"{Base}/services/{{code}}.{{format}}", ServiceAsync);
        app.MapPost($"{Base}/requests.{{format}}", PostRequestAsync).DisableAntiforgery();
        app.MapGet($"{Base}/requests.{{format}}", GetRequestsAsync);
        app.MapGet($"{Base}/requests/{{id}}.{{format}}", GetRequestAsync);
        app.MapGet($"{Base}/tokens/{{id}}.{{format}}", TokenAsync);
        return app;
    }

    private static IResult Discovery(HttpContext http, string format)
    {
        if (!Open311Format.IsKnown(format)) return Open311Format.Error("json", 404, $"Unknown format '{format}'; use .json or .xml.");
        var url = $"{http.Request.Scheme}://{http.Request.Host}{Base}";
        return Open311Format.Object(format, "discovery", new Dictionary<string, object?>
        {
            ["changeset"] = "2026-11-28T00:00:00Z",
            ["contact"] = "The platform operator of the shared service arrangements platform",
            ["key_service"] = "api_key is issued by the platform operator to a partner organisation",
            ["endpoints"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["specification"] = "http://wiki.open311.org/GeoReport_v2", ["url"] = url, ["changeset"] = "2026-11-28T00:00:00Z",
                    ["type"] = "production", ["formats"] = new[] { "application/json", "text/xml" },
                },
            },
        });
    }

    private static async Task<IResult> ServicesAsync(string format, string? jurisdiction_id, IGrainFactory grains)
    {
        if (!Open311Format.IsKnown(format)) return Open311Format.Error("json", 404, $"Unknown format '{format}'; use .json or .xml.");
        if (await JurisdictionAsync(grains, jurisdiction_id) is not { } municipality) return UnknownJurisdiction(format, jurisdiction_id);
        var records = new List<Record>();
        foreach (var arrangementId in municipality.ArrangementIds)
        {
            if (await grains.GetGrain<IArrangementGrain>(arrangementId).GetAsync() is not { } arrangement) continue;
            records.AddRange(arrangement.Services.Select(service => new Dictionary<string, object?>
            {
                ["service_code"] = $"{arrangement.Id}.{service.Code}", ["service_name"] = service.Name,
                ["description"] = $"{service.Name}, handled by {arrangement.ExecutingOrganisation} for {arrangement.Name}",
                ["metadata"] = false, ["type"] = "realtime", ["keywords"] = service.Code, ["group"] = arrangement.Name,
            }));
        }
        return Open311Format.List(format, "services", "service", records);
    }

    private static async Task<IResult> ServiceAsync(string code, string format, string? jurisdiction_id, IGrainFactory grains)
    {
        if (!Open311Format.IsKnown(format)) return Open311Format.Error("json", 404, $"Unknown format '{format}'; use .json or .xml.");
        if (await JurisdictionAsync(grains, jurisdiction_id) is not { } municipality) return UnknownJurisdiction(format, jurisdiction_id);
        if (await ServiceOfAsync(grains, municipality, code) is null) return Open311Format.Error(format, 404, $"No service '{code}' in {municipality.Code}.");
        return Open311Format.Object(format, "service_definition", new Dictionary<string, object?> { ["service_code"] = code, ["attributes"] = Array.Empty<Record>() });
    }

    private static async Task<IResult> PostRequestAsync(HttpContext http, string format, IGrainFactory grains, IOptions<Open311Settings> settings, Throttle throttle)
    {
        if (!Open311Format.IsKnown(format)) return Open311Format.Error("json", 404, $"Unknown format '{format}'; use .json or .xml.");
        if (!http.Request.HasFormContentType) return Open311Format.Error(format, 400, "Send the request as application/x-www-form-urlencoded fields.");
        if (throttle.Acquire(RequestLimits.AnonymousWrites, http.AddressPartition()) is { Allowed: false } fromAddress) return TooMany(http, format, fromAddress);
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ApiExceptionHandler.IsMalformedRequest(ex) || ex is IOException)
        {
            // A body that ends early or breaks its own multipart framing is the client's to fix.
            return Open311Format.Error(format, 400, $"The form could not be read: {ex.Message}");
        }
        if (await ApiKeyOfAsync(grains, settings.Value, form["api_key"]) is not { } key) return Open311Format.Error(format, 403, "api_key is missing or not valid.");
        if (throttle.Acquire(RequestLimits.Open311Key, "open311:" + key.Name) is { Allowed: false } forKey) return TooMany(http, format, forKey);
        var jurisdiction = form["jurisdiction_id"].ToString();
        // A key acts for one organisation: it files in that jurisdiction and nowhere else.
        if (jurisdiction.Length > 0 && MunicipalityCode.Normalize(jurisdiction) != key.Organisation)
        {
            return Open311Format.Error(format, 403, $"This api_key files requests for {key.Organisation} only, not for jurisdiction '{Rules.Echo(jurisdiction)}'.");
        }
        if (await JurisdictionAsync(grains, jurisdiction) is not { } municipality) return UnknownJurisdiction(format, jurisdiction);
        var serviceCode = form["service_code"].ToString();
        if (string.IsNullOrEmpty(serviceCode)) return Open311Format.Error(format, 400, "service_code is required.");
        if (await ServiceOfAsync(grains, municipality, serviceCode) is not { } target) return Open311Format.Error(format, 404, $"No service '{Rules.Echo(serviceCode)}' in {municipality.Code}.");
        double? lat = null, lon = null;
        if (form.ContainsKey("lat") || form.ContainsKey("long"))
        {
            if (!double.TryParse(form["lat"], NumberStyles.Float, CultureInfo.InvariantCulture, out var la) || !double.TryParse(form["long"], NumberStyles.Float, CultureInfo.InvariantCulture, out var lo))
            {
                return Open311Format.Error(format, 400, "lat and long must both be numbers in WGS84 degrees.");
            }
            (lat, lon) = (la, lo);
        }
        var address = form["address_string"].ToString();

        // The key's organisation files; the person who reported is contact data on the complaint, never its author.
        var partner = PartnerOf(key, Scopes.ComplaintsWrite);
        CallerContext.Set(partner);
        var name = string.Join(" ", new[] { form["first_name"].ToString(), form["last_name"].ToString() }.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()));
        var reporter = new Reporter(NullIfBlank(name), NullIfBlank(form["email"]), NullIfBlank(form["phone"]));
        async Task<CommandResult> FileAsync(string id) => await grains.GetGrain<IComplaintGrain>(id).FileAsync(new(target.Arrangement, target.Service, form["description"],
            new Location(lat, lon, string.IsNullOrWhiteSpace(address) ? null : address),
            reporter is { Name: null, Email: null, Phone: null } ? null : reporter));

        // Open311 has no key of its own; a client that retries sends the Idempotency-Key header and gets the first answer.
        CommandResult filed;
        if (http.Request.Headers.TryGetValue(IdempotentRequest.HeaderName, out var header))
        {
            var idempotencyKey = header.ToString();
            if (header.Count != 1) return Open311Format.Error(format, 400, "Send one Idempotency-Key header.");
            if (IdempotentRequest.KeyProblem(idempotencyKey) is { } problem) return Open311Format.Error(format, 400, problem);
            var fingerprint = IdempotentRequest.Fingerprint(form.Where(f => f.Key != "api_key").OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
            var (ticket, record) = await IdempotentRequest.BeginAsync(grains, "open311-request", partner, idempotencyKey, fingerprint);
            switch (ticket.Outcome)
            {
                case IdempotencyOutcome.KeyReused:
                    return Open311Format.Error(format, 422, IdempotentRequest.KeyReusedMessage(idempotencyKey, "POST requests"));
                case IdempotencyOutcome.InProgress:
                    http.Response.Headers.RetryAfter = "2";
                    return Open311Format.Error(format, 409, IdempotentRequest.InProgressMessage(idempotencyKey));
                case IdempotencyOutcome.Replay:
                    filed = ticket.FirstResult!;
                    break;
                default:
                    filed = await IdempotentRequest.RunAsync(record, () => FileAsync($"c-{ticket.ReservedId}"));
                    await IdempotentRequest.FinishAsync(record, filed);
                    break;
            }
        }
        else
        {
            filed = await FileAsync($"c-{Guid.NewGuid():N}"[..14]);
        }
        if (!filed.Succeeded) return Open311Format.Error(format, filed.IsRefusal ? 403 : 400, string.Join(" ", filed.Errors.Select(e => e.Message)));
        return Open311Format.List(format, "service_requests", "request",
            [new Dictionary<string, object?> { ["service_request_id"] = filed.Id, ["service_notice"] = "", ["account_id"] = null }]);
    }

    private static IResult TooMany(HttpContext http, string format, ThrottleDecision decision)
    {
        http.Response.SetRetryAfter(decision);
        return Open311Format.Error(format, 429, $"Too many requests; try again in {decision.RetryAfterSeconds} seconds.");
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Caller PartnerOf(Open311ApiKey key, params string[] scopes) =>
        new(CallerKind.Partner, $"open311:{key.Name}", key.Organisation, [], [.. scopes]);

    private static async Task<IResult> GetRequestsAsync(HttpContext http, string format, string? jurisdiction_id, string? api_key, string? service_request_id,
        string? service_code, string? start_date, string? end_date, string? status, string? lat, string? @long, string? radius,
        IGrainFactory grains, IOptions<Open311Settings> settings, IDbContextFactory<ComplaintListStore> lists, TimeProvider time,
        Platform.Gateway.Complaints.ListedComplaints listed)
    {
        if (!Open311Format.IsKnown(format)) return Open311Format.Error("json", 404, $"Unknown format '{format}'; use .json or .xml.");
        if (await JurisdictionAsync(grains, jurisdiction_id) is not { } municipality) return UnknownJurisdiction(format, jurisdiction_id);
        // Without a key, anyone reads the public view; a key that is given must be this municipality's partner's.
        Caller? reader = null;
        if (!string.IsNullOrEmpty(api_key))
        {
            reader = await ReaderForAsync(grains, settings.Value, api_key, municipality.Code);
            if (reader is null) return NotThisKey(format);
        }
        DateTimeOffset? from = null, to = null;
        if (start_date is not null)
        {
            if (!DateTimeOffset.TryParse(start_date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var f)) return Open311Format.Error(format, 400, "start_date must be an ISO 8601 date-time.");
            from = f;
        }
        if (end_date is not null)
        {
            if (!DateTimeOffset.TryParse(end_date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return Open311Format.Error(format, 400, "end_date must be an ISO 8601 date-time.");
            to = t;
        }
        if (status is not (null or "open" or "closed")) return Open311Format.Error(format, 400, "status must be open or closed.");
        var ids = service_request_id?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (arrangement, service) = service_code?.Split('.', 2) is [var a, var s] ? (a, s) : ((string?)null, (string?)null);
        if (service_code is not null && arrangement is null) return Open311Format.Error(format, 400, "service_code must be '{arrangement}.{service}', as the service list gives it.");

        await using var store = await lists.CreateDbContextAsync(http.RequestAborted);
        if (reader is null)
        {
            // The public view also answers near a place (lat, long and radius in metres: an extension many apps send).
            GeoPoint? near = null;
            var metres = 500;
            if (lat is not null || @long is not null || radius is not null)
            {
                if (!double.TryParse(lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var la) || !double.TryParse(@long, NumberStyles.Float, CultureInfo.InvariantCulture, out var lo))
                {
                    return Open311Format.Error(format, 400, "lat and long must both be numbers in WGS84 degrees.");
                }
                if (radius is not null && !int.TryParse(radius, NumberStyles.None, CultureInfo.InvariantCulture, out metres)) return Open311Format.Error(format, 400, "radius must be a whole number of metres.");
                if (PublicReports.NearProblem(la, lo, metres) is { } problem) return Open311Format.Error(format, 400, problem.Replace("radiusMetres", "radius", StringComparison.Ordinal));
                near = new(la, lo);
            }
            var reports = await PublicReportQueries.FindAsync(store, grains, new(municipality.Code, near, metres, arrangement, service,
                status is null ? null : status == "open", PublicReportSearch.MaxLimit, ids, from, to), time.GetUtcNow(), http.RequestAborted);
            return Open311Format.List(format, "service_requests", "request", [.. reports.Select(PublicRecord)]);
        }

        var rows = store.Complaints.AsNoTracking().Where(r => r.Municipality == municipality.Code);
        if (ids is not null) rows = rows.Where(r => ids.Contains(r.Id));
        if (arrangement is not null) rows = rows.Where(r => r.ArrangementId == arrangement && r.ServiceCode == service);
        if (from is { } fromValue) { var ms = fromValue.ToUnixTimeMilliseconds(); rows = rows.Where(r => r.FiledAt >= ms); }
        if (to is { } toValue) { var ms = toValue.ToUnixTimeMilliseconds(); rows = rows.Where(r => r.FiledAt <= ms); }
        if (status is not null)
        {
            var open = OpenStatuses.ToList();
            rows = status == "open" ? rows.Where(r => open.Contains(r.Status)) : rows.Where(r => !open.Contains(r.Status));
        }
        // GeoReport's default window: the last 90 days, at most 1000 requests.
        var page = await rows.OrderByDescending(r => r.FiledAt).Take(1000).ToListAsync(http.RequestAborted);
        CallerContext.Set(reader);
        // The complaints through what the gateway keeps of them (read again only where a row's version moved on), and
        // each arrangement once for the page, where every record used to ask for both.
        var complaints = (await listed.ReadAsync(page, reader)).OfType<ComplaintSnapshot>().ToList();
        var arrangements = new Dictionary<string, ArrangementSnapshot?>(StringComparer.Ordinal);
        foreach (var arrangementId in complaints.Select(c => c.ArrangementId).Distinct(StringComparer.Ordinal))
        {
            arrangements[arrangementId] = await grains.GetGrain<IArrangementGrain>(arrangementId).GetAsync();
        }
        return Open311Format.List(format, "service_requests", "request", [.. complaints.Select(c => RecordOf(arrangements[c.ArrangementId], c))]);
    }

    private static async Task<IResult> GetRequestAsync(HttpContext http, string id, string format, string? jurisdiction_id, string? api_key, IGrainFactory grains,
        IOptions<Open311Settings> settings, Platform.Gateway.Complaints.KnownComplaints known, IDbContextFactory<ComplaintListStore> lists, TimeProvider time)
    {
        if (!Open311Format.IsKnown(format)) return Open311Format.Error("json", 404, $"Unknown format '{format}'; use .json or .xml.");
        if (await JurisdictionAsync(grains, jurisdiction_id) is not { } municipality) return UnknownJurisdiction(format, jurisdiction_id);
        if (string.IsNullOrEmpty(api_key))
        {
            await using var store = await lists.CreateDbContextAsync(http.RequestAborted);
            var reports = await PublicReportQueries.FindAsync(store, grains, new(municipality.Code, Limit: 1, Ids: [id]), time.GetUtcNow(), http.RequestAborted);
            return reports.Count == 0
                ? Open311Format.Error(format, 404, $"No public request '{Rules.Echo(id)}' in {municipality.Code}.")
                : Open311Format.List(format, "service_requests", "request", [PublicRecord(reports[0])]);
        }
        if (await ReaderForAsync(grains, settings.Value, api_key, municipality.Code) is not { } reader)
        {
            return NotThisKey(format);
        }
        CallerContext.Set(reader);
        if (!await known.MayExistAsync(id, http.RequestAborted) || await grains.GetGrain<IComplaintGrain>(id).GetAsync() is not { } complaint || complaint.Municipality != municipality.Code)
        {
            return Open311Format.Error(format, 404, $"No request '{Rules.Echo(id)}' in {municipality.Code}.");
        }
        return Open311Format.List(format, "service_requests", "request", [RecordOf(await grains.GetGrain<IArrangementGrain>(complaint.ArrangementId).GetAsync(), complaint)]);
    }

    private static IResult NotThisKey(string format) =>
        Open311Format.Error(format, 403, "This api_key does not read this municipality's requests; leave it out for the public view (no text, places rounded to about 50 m).");

    /// <summary>
    /// A request as anyone may see it: GeoReport's fields with the text, address, notes and media left empty and the place
    /// on the public grid (<see cref="PublicReports"/>).
    /// </summary>
    private static Record PublicRecord(PublicReport r) => new Dictionary<string, object?>
    {
        ["service_request_id"] = r.Id,
        ["status"] = r.Open ? "open" : "closed",
        ["status_notes"] = null,
        ["service_name"] = r.Service?.Name,
        ["service_code"] = $"{r.ArrangementId}.{r.ServiceCode}",
        ["description"] = null,
        ["agency_responsible"] = r.ArrangementName,
        ["service_notice"] = "",
        ["requested_datetime"] = r.FiledAt.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        ["updated_datetime"] = r.UpdatedAt.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        ["expected_datetime"] = null,
        ["address"] = null,
        ["address_id"] = null,
        ["zipcode"] = null,
        ["lat"] = r.Latitude,
        ["long"] = r.Longitude,
        ["media_url"] = null,
    };

    /// <summary>Requests are filed at once, so a token is the request id itself.</summary>
    private static IResult TokenAsync(string id, string format) =>
        Open311Format.IsKnown(format)
            ? Open311Format.List(format, "service_requests", "request", [new Dictionary<string, object?> { ["service_request_id"] = id, ["token"] = id }])
            : Open311Format.Error("json", 404, $"Unknown format '{format}'; use .json or .xml.");

    private static readonly IReadOnlyList<string> OpenStatuses = ComplaintWorkflow.OpenNames;

    private static Record RecordOf(ArrangementSnapshot? arrangement, ComplaintSnapshot c)
    {
        var service = arrangement?.Services.FirstOrDefault(s => s.Code == c.ServiceCode);
        var open = ComplaintWorkflow.Open.Contains(c.Status);
        // The promise is a calendar day in the Netherlands: it ends at midnight there, not in UTC.
        var expected = Platform.Domain.Calendar.AmsterdamCalendar.EndOf(c.ResolveBy);
        return new Dictionary<string, object?>
        {
            ["service_request_id"] = c.Id,
            ["status"] = open ? "open" : "closed",
            ["status_notes"] = c.Status switch
            {
                ComplaintStatus.Resolved => "Resolved by the executing organisation; awaiting the reporter's confirmation.",
                ComplaintStatus.Rejected => $"Not ours to handle: {c.Reason}{(c.Referral is null ? "" : $" Please contact {c.Referral}.")}",
                ComplaintStatus.Duplicate => $"Duplicate of {c.DuplicateOf}.",
                _ => c.Status.ToString(),
            },
            ["service_name"] = service?.Name,
            ["service_code"] = $"{c.ArrangementId}.{c.ServiceCode}",
            ["description"] = c.Description,
            ["agency_responsible"] = arrangement?.ExecutingOrganisation,
            ["service_notice"] = "",
            ["requested_datetime"] = c.FiledAt.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
            ["updated_datetime"] = (c.History.Count > 0 ? c.History[^1].At : c.FiledAt).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
            ["expected_datetime"] = expected.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
            ["address"] = c.Location.Address,
            ["address_id"] = null,
            ["zipcode"] = null,
            ["lat"] = c.Location.Latitude,
            ["long"] = c.Location.Longitude,
            ["media_url"] = null,
        };
    }

    private static async Task<MunicipalitySnapshot?> JurisdictionAsync(IGrainFactory grains, string? jurisdiction)
    {
        var code = MunicipalityCode.Normalize(jurisdiction);
        return MunicipalityCode.IsValid(code) ? await grains.GetGrain<IMunicipalityGrain>(code).GetAsync() : null;
    }

    private static IResult UnknownJurisdiction(string format, string? jurisdiction) =>
        string.IsNullOrWhiteSpace(jurisdiction)
            ? Open311Format.Error(format, 400, "jurisdiction_id is required: the municipality's CBS code, e.g. GM0405.")
            : Open311Format.Error(format, 404, $"jurisdiction_id '{Rules.Echo(jurisdiction)}' is not a municipality on this platform.");

    private static async Task<(string Arrangement, string Service)?> ServiceOfAsync(IGrainFactory grains, MunicipalitySnapshot municipality, string code)
    {
        if (code.Split('.', 2) is not [var arrangementId, var service] || !municipality.ArrangementIds.Contains(arrangementId)) return null;
        var arrangement = await grains.GetGrain<IArrangementGrain>(arrangementId).GetAsync();
        return arrangement?.Services.Any(s => s.Code == service) == true ? (arrangementId, service) : null;
    }

    /// <summary>
    /// The key's organisation: a key from configuration (the demo's, or an operator's), else one an organisation
    /// issued, found by its hash. Revoked and unknown keys are null.
    /// </summary>
    private static async Task<Open311ApiKey?> ApiKeyOfAsync(IGrainFactory grains, Open311Settings settings, string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 200) return null;
        if (settings.ApiKeys.FirstOrDefault(k => string.Equals(k.Key, key, StringComparison.Ordinal)) is { } configured) return configured;
        return await grains.GetGrain<Platform.Grains.Organisations.IOpen311KeyGrain>(Platform.Domain.Organisations.Open311KeyText.Hash(key)).GetAsync() is { } owner
            ? new Open311ApiKey { Key = key, Organisation = owner.Organisation, Name = owner.Name }
            : null;
    }

    /// <summary>The municipality's own partner reads its residents' requests, as its systems may through GraphQL.</summary>
    private static async Task<Caller?> ReaderForAsync(IGrainFactory grains, Open311Settings settings, string? key, string municipality) =>
        await ApiKeyOfAsync(grains, settings, key) is { } issued && issued.Organisation == municipality
            ? PartnerOf(issued, Scopes.ComplaintsRead)
            : null;
}
