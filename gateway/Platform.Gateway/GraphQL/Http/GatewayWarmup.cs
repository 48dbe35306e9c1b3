using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Gateway.Complaints;
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
                using var request = new HttpRequestMessage(HttpMethod.Post, GraphQLHttpEndpoint.Path) { Content = JsonContent.Create(new { query = document }) };
                // Executed in full, not answered from the kept public answers.
                request.Headers.CacheControl = new() { NoCache = true };
                // Behind a proxy that ends TLS (Platform:Http:ForwardedHeaders), as the proxy's requests arrive.
                request.Headers.Add("X-Forwarded-Proto", "https");
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
        if (services is not null && !await WarmComplaintListAsync(services, CancellationToken.None))
        {
            LogListWarmupSkipped(logger);
        }
        LogWarm(logger, Rounds * Documents.Length, watch.ElapsedMilliseconds);
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
            using var request = new HttpRequestMessage(HttpMethod.Post, GraphQLHttpEndpoint.Path) { Content = JsonContent.Create(new { query = "{ viewer { organisation } }" }) };
            request.Headers.Authorization = new("Bearer", UnsignedToken);
            request.Headers.Add("X-Forwarded-Proto", "https");
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                using var response = await http.SendAsync(request, timeout.Token);
                if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized)
                {
                    LogTokenWarmupSkipped(logger, $"answered {(int)response.StatusCode}");
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                LogTokenWarmupSkipped(logger, e.Message);
                return;
            }
        }
    }

    /// <summary>A well-formed JWT with a signature no key matches.</summary>
    public static readonly string UnsignedToken = string.Join('.',
        Base64Url("""{"alg":"RS256","kid":"warm-up","typ":"at+jwt"}"""),
        Base64Url("""{"iss":"warm-up","sub":"warm-up","exp":4102444800}"""),
        Base64Url("warm-up"));

    private static string Base64Url(string text) => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(text));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up of token validation was left out ({Reason}); the first signed-in requests fetch the identity server's keys")]
    private static partial void LogTokenWarmupSkipped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up of the complaint list was left out (the read model could not be read); the first signed-in list compiles its queries")]
    private static partial void LogListWarmupSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up with {Requests} queries in {Elapsed} ms")]
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
