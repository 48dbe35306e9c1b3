using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using GraphQLParser.AST;
using Platform.Domain.Calendar;
using Microsoft.AspNetCore.Http.Features;
using Platform.Grains.PublicData;
using Platform.ServiceDefaults.Hosting;
using Platform.ServiceDefaults.Security;

namespace Platform.Gateway.GraphQL.Http;

/// <summary>The <c>Platform:Gateway:PublicAnswers</c> section.</summary>
public sealed class PublicAnswerSettings
{
    public const string Section = "Platform:Gateway:PublicAnswers";

    /// <summary>Keep answers to public queries (on by default; off only to measure without it).</summary>
    public bool Enabled { get; set; } = true;

    public int MaxEntries { get; set; } = 10_000;
    public int MaxEntryBytes { get; set; } = 256 * 1024;
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The longest an answer is kept even when nothing changed (answers also end at midnight in Amsterdam).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Keep the records of grains with public state (arrangements, municipalities) for queries run in full, under the
    /// same feed (on by default; off only to measure without it). See <see cref="PublicAnswerCache.TryGetRecord{T}"/>.
    /// </summary>
    public bool KeepRecords { get; set; } = true;

    /// <summary>At most this many records are kept; past it they start again.</summary>
    public int MaxRecords { get; set; } = 20_000;
}

/// <summary>
/// Answers to anonymous queries of public data (arrangements, tariffs, members, municipalities, organisations,
/// proposals), kept as the bytes that were sent, keyed by the request as sent. Never stale after a change returned:
/// every grain with public state announces a stored change through <see cref="IPublicDataFeedGrain"/> before its call
/// returns, and this cache drops everything on such an announcement (public changes are rare: decisions, members,
/// tariffs). An answer is served only while this gateway's subscription to the feed holds, and only if no change was
/// announced between the start of the request that produced it and now. What changes with the date alone (today's
/// tariff, current members) ends at midnight in Amsterdam.
/// </summary>
public sealed partial class PublicAnswerCache : IPublicDataObserver
{
    /// <summary>Root fields whose answers come only from grains with public state (so a change of them is announced).</summary>
    private static readonly HashSet<string> PublicRootFields = new(StringComparer.Ordinal)
    {
        "arrangement", "arrangements", "municipality", "municipalities", "organisation", "organisations", "proposal", "__typename",
    };

    public sealed record Entry(byte[] Body, string ETag, string ContentType, DateTimeOffset KeptAt, DateTimeOffset Expires, long Generation);

    private static readonly Meter Meter = new("Platform.Gateway.PublicAnswers");
    private static readonly Counter<long> Hits = Meter.CreateCounter<long>("platform.gateway.public_answers.hits");
    private static readonly Counter<long> Misses = Meter.CreateCounter<long>("platform.gateway.public_answers.misses");
    private static readonly Counter<long> Invalidations = Meter.CreateCounter<long>("platform.gateway.public_answers.invalidations");

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly PublicAnswerSettings settings;
    private readonly TimeProvider time;
    private long generation;
    private long bytes;
    private long leaseUntil = long.MinValue; // Stopwatch timestamp
    private readonly Lock gate = new();
    private Guid epoch;
    private Guid closedEpoch;

    public PublicAnswerCache(Microsoft.Extensions.Options.IOptions<PublicAnswerSettings> options, TimeProvider time)
    {
        settings = options.Value;
        this.time = time;
    }

    public bool Enabled => settings.Enabled;

    /// <summary>Whether the feed's lease holds: only then may a kept answer be served or a new one kept.</summary>
    public bool Subscribed => Stopwatch.GetTimestamp() < Volatile.Read(ref leaseUntil);

    /// <summary>Taken before a request runs; an answer is kept only if no change was announced since.</summary>
    public long Ticket() => Volatile.Read(ref generation);

    public bool TryGet(string key, out Entry entry)
    {
        if (entries.TryGetValue(key, out entry!) && entry.Generation == Volatile.Read(ref generation) && Subscribed
            && time.GetUtcNow() is var now && now >= entry.KeptAt && now < entry.Expires)
        {
            Hits.Add(1);
            return true;
        }
        Misses.Add(1);
        return false;
    }

    /// <summary>Whether an operation reads only public data: a query whose root fields are all public ones.</summary>
    public static bool IsPublic(GraphQLOperationDefinition operation)
    {
        if (operation.Operation != OperationType.Query) return false;
        foreach (var selection in operation.SelectionSet.Selections)
        {
            if (selection is not GraphQLField field || !PublicRootFields.Contains(field.Name.StringValue)) return false;
        }
        return true;
    }

    public void Keep(string key, long ticket, byte[] body, string etag, string contentType)
    {
        if (!settings.Enabled || body.Length > settings.MaxEntryBytes || !Subscribed || ticket != Volatile.Read(ref generation)) return;
        if (entries.Count >= settings.MaxEntries || Interlocked.Add(ref bytes, body.Length) > settings.MaxBytes)
        {
            // Full: start again (one miss per kept query afterwards).
            entries.Clear();
            Interlocked.Exchange(ref bytes, body.Length);
        }
        var now = time.GetUtcNow();
        var midnight = AmsterdamCalendar.StartOf(AmsterdamCalendar.DateOf(now).AddDays(1));
        var expires = now + settings.MaxAge < midnight ? now + settings.MaxAge : midnight;
        entries[key] = new Entry(body, etag, contentType, now, expires, ticket);
    }

    /// <summary>A change of public data was announced: nothing kept so far may be served.</summary>
    public Task ChangedAsync(PublicDataChange change)
    {
        Drop();
        RecordChanged(change.Grain);
        return Task.CompletedTask;
    }

    /// <summary>The feed's activation is ending: serve nothing kept until subscribed to the next one.</summary>
    public Task ClosingAsync(Guid epoch)
    {
        StopServing(epoch);
        return Task.CompletedTask;
    }

    /// <summary>
    /// This gateway stops: serve nothing kept from now on (before it unsubscribes, after which the feed no longer tells
    /// it of changes), and let no renewal still on its way bring the lease back.
    /// </summary>
    public void Leave() => StopServing(null);

    /// <summary>
    /// Ends the lease; a renewal still on its way from the feed's activation <paramref name="closing"/> (the current
    /// one when null) must not bring it back.
    /// </summary>
    private void StopServing(Guid? closing)
    {
        lock (gate)
        {
            closedEpoch = closing ?? epoch;
            Volatile.Write(ref leaseUntil, long.MinValue);
            Drop();
            DropRecords();
        }
    }

    /// <summary>The feed renewed the lease; asked at <paramref name="askedAt"/> (a Stopwatch timestamp), so it holds until then plus the lease.</summary>
    public void Renewed(PublicDataLease lease, long askedAt)
    {
        lock (gate)
        {
            if (lease.Epoch == closedEpoch) return;
            // A new epoch is a new activation of the feed, which may have missed telling this gateway of a change.
            if (lease.Epoch != epoch)
            {
                Drop();
                DropRecords();
                epoch = lease.Epoch;
            }
            Volatile.Write(ref leaseUntil, askedAt + (long)(PublicDataFeed.Lease.TotalSeconds * Stopwatch.Frequency));
        }
    }

    private void Drop()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
        Interlocked.Exchange(ref bytes, 0);
        Invalidations.Add(1);
    }
}

/// <summary>
/// Serves kept public answers: an anonymous GET or POST to a GraphQL path whose very request (path, Accept, Content-Type,
/// query string or body) was answered before without errors, and since when no public data changed. Everything else, and
/// every miss, goes on to the endpoint, which runs the query and keeps the answer when it may. On the web server the
/// lookup happens in front of the host (<see cref="PublicAnswerFront"/>, before any request is made of it); under a test
/// server, or where only the pipeline can judge the transport, at the start of the pipeline (<see cref="UsePublicAnswers"/>).
/// </summary>
public static class PublicAnswers
{
    /// <summary>Bodies up to this size are looked up (and kept); larger ones always run (the endpoint enforces its own limit).</summary>
    public const int MaxLookupBody = 16 * 1024;

    /// <summary>The gateway's content security policy: on every answer (Program), kept ones included (they carry it themselves).</summary>
    public const string ContentSecurityPolicy = WebSecurity.ApiPolicy;

    /// <summary>Set on a request the front looked up and did not answer, so that the pipeline does not look again.</summary>
    public sealed class LookedUp
    {
        public static readonly LookedUp Instance = new();
    }

    /// <summary>The kept answer for a request, if any: null when it may not be answered from what is kept or nothing is.</summary>
    /// <param name="body">The request body (POST), read here and handed back to be put back for the pipeline on a miss.</param>
    public static async ValueTask<(PublicAnswerCache.Entry? Kept, bool IsGet, byte[]? Body)> LookUpAsync(
        PublicAnswerCache cache, string method, string path, string queryString, IHeaderDictionary headers, Stream requestBody, CancellationToken aborted)
    {
        var isGet = HttpMethods.IsGet(method);
        if (!MayAnswer(headers) || !(isGet || HttpMethods.IsPost(method)) || !IsGraphQLPath(path)) return (null, isGet, null);
        byte[]? body = null;
        if (!isGet)
        {
            if (headers.ContentLength is not (> 0 and <= MaxLookupBody) || !cache.Subscribed) return (null, false, null);
            body = new byte[(int)headers.ContentLength.Value];
            try
            {
                await requestBody.ReadExactlyAsync(body, aborted);
            }
            catch (EndOfStreamException)
            {
                // Shorter than announced: the endpoint answers that as it answers any unreadable body.
                return (null, false, null);
            }
        }
        return cache.TryGet(Key(path, headers, queryString, body), out var kept)
            ? (kept, isGet, body)
            : (null, isGet, body);
    }

    /// <summary>The lookup at the start of the pipeline, for requests the front did not look up.</summary>
    public static WebApplication UsePublicAnswers(this WebApplication app)
    {
        var cache = app.Services.GetRequiredService<PublicAnswerCache>();
        if (!cache.Enabled) return app;
        app.Use(async (http, next) =>
        {
            if (http.Features.Get<LookedUp>() is not null)
            {
                await next(http);
                return;
            }
            var request = http.Request;
            var (kept, isGet, body) = await LookUpAsync(cache, request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
                request.Headers, request.Body, http.RequestAborted);
            if (body is not null) request.Body = new MemoryStream(body, writable: false); // the endpoint reads the same bytes on a miss
            if (kept is null)
            {
                await next(http);
                return;
            }
            // Not exported as a trace: there is nothing behind a kept answer to follow (hits are counted in the
            // platform.gateway.public_answers.hits metric). Exporting every one was the dashboard's largest load.
            if (Activity.Current is { } activity)
            {
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                activity.IsAllDataRequested = false; // nor tagged when it stops
            }
            // The pipeline's response security comes after this: the answer carries its headers itself.
            WebSecurity.WriteHeaders(http.Response.Headers, ContentSecurityPolicy);
            await WriteAsync(http, kept.Body, kept.ETag, kept.ContentType, isGet, hit: true);
        });
        return app;
    }

    private static bool IsGraphQLPath(string value)
    {
        if (value == GraphQLHttpEndpoint.Path) return true;
        // /t/{tenant}/graphql
        return value.StartsWith("/t/", StringComparison.Ordinal) && value.EndsWith(GraphQLHttpEndpoint.Path, StringComparison.Ordinal)
            && value.IndexOf('/', 3) == value.Length - GraphQLHttpEndpoint.Path.Length;
    }

    /// <summary>
    /// Anonymous (no Authorization header: what a signed-in caller reads may be theirs alone), and not asking for a fresh
    /// answer (<c>Cache-Control: no-cache</c>, <c>no-store</c> or <c>max-age=0</c> on the request runs the query).
    /// </summary>
    public static bool MayAnswer(IHeaderDictionary headers) => headers.Authorization.Count == 0 && !AsksFresh(headers);

    /// <summary>The request asks for a fresh answer: <c>Cache-Control: no-cache</c>, <c>no-store</c> or <c>max-age=0</c>.</summary>
    public static bool AsksFresh(IHeaderDictionary headers)
    {
        var value = headers.CacheControl;
        if (value.Count == 0) return false;
        var text = value.ToString();
        return text.Contains("no-cache", StringComparison.OrdinalIgnoreCase) || text.Contains("no-store", StringComparison.OrdinalIgnoreCase)
            || text.Contains("max-age=0", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The request as sent: where, what it accepts, how its body is written, and its query (the body of a POST, else the query string).</summary>
    public static string Key(string path, IHeaderDictionary headers, string? queryString, byte[]? body) =>
        string.Concat(path, "\n", headers.Accept.ToString(), "\n", headers.ContentType.ToString(), "\n",
            body is null ? queryString : System.Text.Encoding.UTF8.GetString(body));

    /// <summary>
    /// An anonymous answer without errors, fresh or kept. By GET it carries an ETag (a hash of its bytes) and may be
    /// kept by any cache, which must ask again each time (no-cache); a request whose If-None-Match names the current
    /// ETag gets 304 without a body. A kept answer never outlives a change, so a changed answer is never withheld.
    /// </summary>
    /// <returns>The status: 200 with <paramref name="body"/> to follow, or 304 without it.</returns>
    public static int WriteHeaders(IHeaderDictionary request, IHeaderDictionary response, byte[] body, string etag, string contentType, bool isGet, bool? hit)
    {
        if (hit is { } served) response["X-Cache"] = served ? "HIT" : "MISS";
        if (isGet)
        {
            response.ETag = etag;
            response.CacheControl = "public, no-cache";
            response.Vary = "Accept, Authorization";
            var ifNoneMatch = request.IfNoneMatch.ToString();
            if (ifNoneMatch.Length > 0 && ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == etag || t == "W/" + etag))
            {
                return StatusCodes.Status304NotModified;
            }
        }
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return StatusCodes.Status200OK;
    }

    public static async Task WriteAsync(HttpContext http, byte[] body, string etag, string contentType, bool isGet, bool? hit)
    {
        http.Response.StatusCode = WriteHeaders(http.Request.Headers, http.Response.Headers, body, etag, contentType, isGet, hit);
        if (http.Response.StatusCode == StatusCodes.Status200OK) await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    public static string ETagOf(byte[] body) =>
        $"\"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body), 0, 16).ToLowerInvariant()}\"";
}

/// <summary>
/// Kept public answers served by the web server itself, before the ASP.NET Core host makes a request of them (see
/// <see cref="FrontDoor"/>): no HttpContext, Activity, logging scope or middleware for a hit, whose answer is bytes
/// already made. The transport rules are the pipeline's (<see cref="TransportRules"/>); a miss, or a request the front
/// may not judge, goes on to the pipeline with its body put back.
/// </summary>
public sealed class PublicAnswerFront(PublicAnswerCache cache) : IFrontAnswer
{
    public async ValueTask<bool> TryAnswerAsync(IFeatureCollection features, TransportVerdict transport)
    {
        if (!cache.Enabled || features.Get<IHttpRequestFeature>() is not { } request
            || features.Get<IHttpResponseFeature>() is not { } response || features.Get<IHttpResponseBodyFeature>() is not { } responseBody)
        {
            return false;
        }
        var aborted = features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? CancellationToken.None;
        var (kept, isGet, body) = await PublicAnswers.LookUpAsync(cache, request.Method, request.Path, request.QueryString, request.Headers, request.Body, aborted);
        if (kept is null)
        {
            if (body is not null) request.Body = new MemoryStream(body, writable: false);
            features.Set(PublicAnswers.LookedUp.Instance);
            return false;
        }
        var headers = response.Headers;
        WebSecurity.WriteHeaders(headers, PublicAnswers.ContentSecurityPolicy);
        if (transport.StrictTransportSecurity is { } hsts) headers.StrictTransportSecurity = hsts;
        response.StatusCode = PublicAnswers.WriteHeaders(request.Headers, headers, kept.Body, kept.ETag, kept.ContentType, isGet, hit: true);
        if (response.StatusCode == StatusCodes.Status200OK) await responseBody.Writer.WriteAsync(kept.Body, aborted);
        return true;
    }
}

/// <summary>
/// Keeps this gateway subscribed to the public data feed, renewing well within each lease; when the gateway stops
/// (after its drain, before its cluster client closes), it stops serving kept answers and unsubscribes, so that a
/// change made meanwhile waits neither for its answer nor for its lease to run out.
/// </summary>
public sealed partial class PublicAnswerSubscription(PublicAnswerCache cache, IGrainFactory grains, ILogger<PublicAnswerSubscription> logger) : BackgroundService
{
    /// <summary>How long a stopping gateway waits for the feed to take its unsubscription.</summary>
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(2);

    private IPublicDataObserver? reference;

    private IPublicDataFeedGrain Feed => grains.GetGrain<IPublicDataFeedGrain>(PublicDataFeed.Key);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!cache.Enabled) return;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var askedAt = Stopwatch.GetTimestamp();
            try
            {
                reference ??= grains.CreateObjectReference<IPublicDataObserver>(cache);
                var lease = await Feed.SubscribeAsync(reference).WaitAsync(PublicDataFeed.Lease, stoppingToken);
                cache.Renewed(lease, askedAt);
                if (failures > 0) LogRenewed(logger, failures);
                failures = 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Until it is renewed the lease runs out and public queries run in full; nothing is served stale.
                if (failures++ == 0) LogNotRenewed(logger, ex);
            }
            try
            {
                await Task.Delay(failures == 0 ? PublicDataFeed.Renewal : TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken); // no renewal after this
        if (reference is null) return;
        cache.Leave();
        try
        {
            await Feed.UnsubscribeAsync(reference).WaitAsync(LeaveTimeout, cancellationToken);
        }
        catch (Exception ex)
        {
            // The feed treats this gateway as one that stopped answering: a change waits for its lease, as before.
            LogNotUnsubscribed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The public data feed could not take this gateway's unsubscription; changes wait for its lease to run out")]
    private static partial void LogNotUnsubscribed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The public data feed could not be reached; public queries run in full until it can")]
    private static partial void LogNotRenewed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to the public data feed again after {Failures} failed attempts")]
    private static partial void LogRenewed(ILogger logger, int failures);
}
