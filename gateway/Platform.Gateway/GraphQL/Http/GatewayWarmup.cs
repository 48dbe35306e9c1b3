using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Domain.Complaints;
using Platform.Domain.Validation;
using Platform.Gateway.Complaints;
using Platform.Grains;
using Platform.Grains.Complaints;
using Platform.Grains.Idempotency;
using Platform.Grains.Organisations;
using Platform.Grains.PublicData;
using Platform.Grains.Proposals;
using Platform.ReadModel;

namespace Platform.Gateway.GraphQL.Http;

/// <summary>
/// A gateway is ready only once it has answered a few public queries through its own HTTP endpoint, executed in full
/// with grain calls: the first requests of a new process compile the pipeline, GraphQL's execution and the grain
/// proxies, which took seconds on a busy node and made every request that a load balancer sent to a just-started
/// gateway wait (the rolling rehearsal's p99). The warm-up runs once, in the background, started by the first
/// readiness check; a failed one (the cluster not reachable yet) is tried again by the next check.
/// </summary>
public sealed partial class GatewayWarmup(IServer server, ILogger<GatewayWarmup> logger, IServiceProvider? services = null)
{
    /// <summary>What residents and partners ask most: the public lists and an arrangement's tariffs.</summary>
    public static readonly string[] Documents =
    [
        "{ arrangements(first: 5) { totalCount nodes { id name members { weight municipality { code name } } tariffs { service { code name } amount unit } } } }",
        "{ municipalities(first: 5) { totalCount nodes { code name } } }",
        // The proposals' grains, as a vote's answer reads its proposal.
        "{ arrangements(first: 2) { nodes { proposals(open: true, first: 3) { totalCount nodes { key title kind outcome } } } } }",
    ];

    /// <summary>
    /// What residents and board members send most once signed in, sent without a token: each is parsed, validated, its
    /// variables coerced into the input's record and its resolver run up to the sign-in check, which refuses it
    /// (<c>UNAUTHENTICATED</c>) before anything is stored. A just-ready gateway's first filings and votes otherwise pay for
    /// compiling that path (runs em and eo: their grain calls already warm, still 200–450 ms).
    /// </summary>
    public static readonly (string Query, object Variables)[] SignedInDocuments =
    [
        ("mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key status } userErrors { field code message } } }",
            new { input = new { arrangementId = "afval-nhn", serviceCode = "warm-up", description = "warm-up", clientMutationId = "platform-warm-up" } }),
        ("mutation($input: CastVoteInput!) { castVote(input: $input) { proposal { key } userErrors { field code message } } }",
            new { input = new { proposalId = "warm-up", choice = "YES", clientMutationId = "platform-warm-up" } }),
        ("query($first: Int) { complaints(first: $first) { totalCount edges { node { key status } } } }", new { first = 10 }),
    ];

    /// <summary>Each document is sent this many times, so the second call's cheaper path is compiled too.</summary>
    public const int Rounds = 3;

    private readonly Lock gate = new();
    private Task? warmup;

    /// <summary>Completes when the gateway is warm; a check that gives up (its timeout) leaves the warm-up running.</summary>
    public Task ReadyAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (warmup is null || warmup.IsFaulted || warmup.IsCanceled) warmup = Task.Run(RunAsync, CancellationToken.None);
            return warmup.WaitAsync(cancellationToken);
        }
    }

    private async Task RunAsync()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (LoopbackAddress(addresses) is not { } baseAddress)
        {
            // An in-memory test server, or HTTPS only: nothing to send the warm-up to.
            return;
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var document in Documents)
            {
                using var request = Post(document);
                // Executed in full, not answered from the kept public answers.
                request.Headers.CacheControl = new() { NoCache = true };
                using var response = await http.SendAsync(request);
                if (response.StatusCode == System.Net.HttpStatusCode.UpgradeRequired)
                {
                    // This address refuses plain HTTP (HTTPS is served elsewhere): there is nothing to warm up through here.
                    LogRefused(logger, baseAddress);
                    return;
                }
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || body.Contains("\"errors\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The warm-up query was answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
                }
            }
        }
        await WarmTokenValidationAsync(http);
        await WarmSignedInDocumentsAsync(http);
        if (services is not null && !await WarmComplaintListAsync(services, CancellationToken.None))
        {
            LogListWarmupSkipped(logger);
        }
        if (services is not null && await WarmGrainCallsAsync(services, CancellationToken.None) is { } skipped)
        {
            LogGrainCallWarmupSkipped(logger, skipped);
        }
        LogWarm(logger, Rounds * (Documents.Length + 1 + SignedInDocuments.Length), watch.ElapsedMilliseconds);
    }

    /// <summary>
    /// The complaint list's queries, twice, for a resident who has filed nothing: the list's version, the count and the
    /// page, as a signed-in resident's list runs them (<see cref="ComplaintLists.ReadPageAsync"/>). The first list a
    /// gateway reads builds EF Core's model of the read model, opens the pool's first connection and compiles those
    /// queries; in the rolling rehearsal of 5 December a just-ready gateway's first signed-in list took 1.95 s (run de),
    /// and every slow request of the 3 s after a gateway came back went through that gateway (run dl). False when the
    /// read model could not be read (the gateway is ready all the same: it answers what it can).
    /// </summary>
    public static async Task<bool> WarmComplaintListAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<IDbContextFactory<ComplaintListStore>>() is not { } lists) return false;
        var nobody = new Caller(CallerKind.User, "platform-warm-up", null, [], []);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(10));
            for (var round = 0; round < 2; round++)
            {
                await using var store = await lists.CreateDbContextAsync(limit.Token);
                await ComplaintLists.ReadPageAsync(store, ComplaintLists.PartsOf(nobody), new ComplaintFilter(), 10, null, limit.Token, services.GetService<ListCounts>());
            }
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Keys no record is stored under: the warm-up's calls find nothing there and store nothing.</summary>
    public const string AbsentKey = "platform-warm-up";

    /// <summary>
    /// A signed-in resident's grain calls, before any resident makes them, on <see cref="AbsentKey"/>s spread over the
    /// cluster's gateways (several calls at once, so that the client opens its connections to each): the complaints of
    /// their list and the proposal a vote answers with, read and not found; a mutation's idempotency key opened and
    /// freed (neither stores anything); the organisation's access check a signed-in request makes. Then a change of
    /// public data announced, so that the feed's first call to this gateway (each change waits for every gateway to
    /// drop what it kept) is made now: every gateway drops its kept answers once, which is always safe. Last, the
    /// messages of a filing, its result, an idempotency ticket and a complaint written and read by the cluster's
    /// serializer (the codecs' first use compiles them).
    /// In the rolling rehearsal of 5 December a gateway's first complaint reads waited 108–127 ms all at once, its first
    /// proposal reads 128–251 ms and its first filings 249 ms (runs ef, eh), and after the reads alone (run el) its
    /// first keys 117–184 ms, its first access checks 120–137 ms and the feed's first call to it 288 ms, which the
    /// vote that made the change waited for; no silo was slow to answer any of them.
    /// Returns why it was left out, or null when it ran.
    /// </summary>
    public static async Task<string?> WarmGrainCallsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<IClusterClient>() is not { } client) return "no cluster client";
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(10));
            var run = Guid.NewGuid().ToString("N");
            var calls = Enumerable.Range(0, GrainReads).SelectMany(i => new[]
            {
                client.GetGrain<IComplaintGrain>($"{AbsentKey}-{i}").GetAsync(),
                client.GetGrain<IProposalGrain>($"{AbsentKey}-{i}").GetAsync(),
                OpenAndFreeKeyAsync(client.GetGrain<IIdempotencyGrain>($"{AbsentKey}-{run}-{i}")),
                CheckAccessAsync(client.GetGrain<IOrganisationGrain>($"{AbsentKey}-{i}")),
            });
            await Task.WhenAll(calls).WaitAsync(limit.Token);
            if (services.GetService<PublicAnswerCache>() is { Enabled: true } cache)
            {
                // Announced once this gateway is subscribed (its background service subscribes as it starts).
                while (!cache.Subscribed) await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
                await client.GetGrain<IPublicDataFeedGrain>(PublicDataFeed.Key).ChangedAsync(AbsentKey).WaitAsync(limit.Token);
            }
            if (services.GetService<Orleans.Serialization.Serializer>() is { } serializer)
            {
                foreach (var message in Messages()) RoundTrip(serializer, message);
            }
            return null;
        }
        catch (Exception e)
        {
            // Whatever it was, a warm-up is no reason to keep the gateway unready: it answers what it can.
            return e.Message;
        }
    }

    private static async Task OpenAndFreeKeyAsync(IIdempotencyGrain key)
    {
        await key.BeginAsync(AbsentKey, AbsentKey);
        await key.AbandonAsync();
    }

    private static async Task CheckAccessAsync(IOrganisationGrain organisation)
    {
        await organisation.AccessOfAsync(AbsentKey);
        await organisation.GetAsync(); // not found: the activation goes
    }

    /// <summary>How many absent complaints and proposals the warm-up reads at once.</summary>
    public const int GrainReads = 6;

    /// <summary>Written and read back once: its type's codec and the codecs of all it holds.</summary>
    public static T RoundTrip<T>(Orleans.Serialization.Serializer serializer, T value) where T : notnull =>
        serializer.Deserialize<T>(serializer.SerializeToArray(value)) ?? throw new InvalidOperationException($"A {typeof(T).Name} came back as nothing.");

    /// <summary>What filings, votes and the resident's list send and receive, each field filled.</summary>
    public static IEnumerable<object> Messages()
    {
        var at = DateTimeOffset.UnixEpoch;
        var location = new Location(52.6, 4.7, "Warm-up 1");
        var reporter = new Reporter("Warm-up", "warm-up@example.invalid", "0");
        var refused = CommandResult.Fail("input", ViolationCodes.InvalidFormat, "warm-up");
        yield return new FileComplaint("warm-up", "warm-up", "warm-up", location, reporter);
        yield return refused;
        yield return new IdempotencyTicket(IdempotencyOutcome.Replay, "warm-up", refused);
        yield return new ComplaintSnapshot("warm-up", "warm-up", "warm-up", "warm-up", location, "warm-up", "warm-up",
            ComplaintStatus.Resolved, at, DateOnly.MinValue, DateOnly.MinValue, at, at, "warm-up", "warm-up", "warm-up",
            ComplaintRole.Author, [ComplaintAction.Confirm, ComplaintAction.Reopen], [new HistoryEntry(at, "warm-up", "warm-up", "warm-up")],
            [new Photo("warm-up", "warm-up", "warm-up", "image/jpeg", 1, "warm-up", at)], at, at, reporter, 1);
    }

    /// <summary>
    /// A token no one signed, sent <see cref="Rounds"/> times after the queries. Every signed-in
    /// request checks its token against the identity server's published keys, which the first one fetches (discovery
    /// and keys, over HTTP): in the rolling rehearsal of 5 December the slowest requests of a just-ready gateway were its
    /// first signed-in ones (the resident's list, a filing, a vote: 1.1–1.9 s), while its public reads were not slow. The
    /// answer is a refusal (401); when the identity server cannot be reached the gateway is ready all the same, for the
    /// public reads it can answer.
    /// </summary>
    private async Task WarmTokenValidationAsync(HttpClient http)
    {
        for (var round = 0; round < Rounds; round++)
        {
            using var request = Post("{ viewer { organisation } }", token: UnsignedToken);
            if (!await RefusedAsync(http, request, reason => LogTokenWarmupSkipped(logger, reason))) return;
        }
    }

    /// <summary>The <see cref="SignedInDocuments"/>, <see cref="Rounds"/> times; an answer other than the refusal is logged, and the gateway is ready all the same.</summary>
    private async Task WarmSignedInDocumentsAsync(HttpClient http)
    {
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (query, variables) in SignedInDocuments)
            {
                using var request = Post(query, variables);
                if (!await RefusedAsync(http, request, reason => LogSignedInWarmupSkipped(logger, reason))) return;
            }
        }
    }

    /// <summary>A GraphQL request to this gateway, sent as a proxy that ends TLS sends it (Platform:Http:ForwardedHeaders).</summary>
    private static HttpRequestMessage Post(string query, object? variables = null, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, GraphQLHttpEndpoint.Path)
        {
            Content = variables is null ? JsonContent.Create(new { query }) : JsonContent.Create(new { query, variables }),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return request;
    }

    /// <summary>
    /// Sends a request the gateway must refuse as not signed in (401); true when it did. Otherwise, or when it could not
    /// be sent in 10 s, tells <paramref name="skipped"/> why and returns false: a warm-up is no reason to stay unready.
    /// </summary>
    private static async Task<bool> RefusedAsync(HttpClient http, HttpRequestMessage request, Action<string> skipped)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized) return true;
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            skipped($"answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            skipped(e.Message);
        }
        return false;
    }

    /// <summary>A well-formed JWT with a signature no key matches.</summary>
    public static readonly string UnsignedToken = string.Join('.',
        Base64Url("""{"alg":"RS256","kid":"warm-up","typ":"at+jwt"}"""),
        Base64Url("""{"iss":"warm-up","sub":"warm-up","exp":4102444800}"""),
        Base64Url("warm-up"));

    private static string Base64Url(string text) => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(text));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up of token validation was left out ({Reason}); the first signed-in requests fetch the identity server's keys")]
    private static partial void LogTokenWarmupSkipped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up of the signed-in documents was left out ({Reason}); the first filings and votes compile their path")]
    private static partial void LogSignedInWarmupSkipped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up of the complaint list was left out (the read model could not be read); the first signed-in list compiles its queries")]
    private static partial void LogListWarmupSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up of grain calls was left out ({Reason}); the first signed-in requests open the cluster's connections and compile the codecs")]
    private static partial void LogGrainCallWarmupSkipped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up with {Requests} requests in {Elapsed} ms")]
    private static partial void LogWarm(ILogger logger, int requests, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up was refused over plain HTTP at {Address}; the gateway is ready without it")]
    private static partial void LogRefused(ILogger logger, Uri address);

    /// <summary>Where this process answers HTTP on the loopback interface (a wildcard address listens there too), or null.</summary>
    public static Uri? LoopbackAddress(IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            var binding = BindingAddress.Parse(address);
            if (!string.Equals(binding.Scheme, "http", StringComparison.OrdinalIgnoreCase) || binding.IsUnixPipe) continue;
            var host = binding.Host is "+" or "*" or "0.0.0.0" or "[::]" or "::" or "localhost" ? "127.0.0.1" : binding.Host;
            if (host is not ("127.0.0.1" or "[::1]")) continue;
            return new Uri($"http://{host}:{binding.Port}/");
        }
        return null;
    }
}
