using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Reliability.Tests;

/// <summary>
/// The gateway as a client sees it: GraphQL over HTTP with a bearer token. Given several gateways it balances
/// round robin, as a load balancer in front of them would, and like one:
/// <list type="bullet">
/// <item>it sends requests only to gateways that report ready (<c>/health</c>, asked every half second, as YARP's
/// active health checks or a Kubernetes Service following its pods' readiness probes do), so a gateway that is
/// draining or still starting gets no new requests; when none reports ready, it tries them all;</item>
/// <item>it sends a request whose connection was refused, so that nothing of it reached a gateway, to the next
/// gateway (nginx's proxy_next_upstream error, YARP's passive health checks); such a request counts as rerouted,
/// not failed.</item>
/// </list>
/// </summary>
    internal sealed class Api : IDisposable
    {
        private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(500);
        private readonly Uri[] gateways;
        private readonly bool[] ready;
        private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
        private readonly CancellationTokenSource stop = new();
        private int next = -1, rerouted;

        public Api(params Uri[] gateways)
        {
            this.gateways = gateways;
            ready = [.. gateways.Select(_ => true)];
            if (gateways.Length > 1) _ = Task.Run(ProbeAsync);
        }

        private async Task ProbeAsync()
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < gateways.Length; i++)
                {
                    try
                    {
                        using var answer = await probe.GetAsync(new Uri(gateways[i], "health"), stop.Token);
                        Volatile.Write(ref ready[i], answer.IsSuccessStatusCode);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        Volatile.Write(ref ready[i], false);
                    }
                }
                try { await Task.Delay(ProbeEvery, stop.Token); } catch (TaskCanceledException) { }
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            http.Dispose();
        }

        /// <summary>The gateways in the order this request tries them: the ready ones from the next in turn, then the others.</summary>
        private Uri[] Order()
        {
            var first = (int)((uint)Interlocked.Increment(ref next) % (uint)gateways.Length);
            var turn = Enumerable.Range(0, gateways.Length).Select(i => (first + i) % gateways.Length).ToArray();
            return [.. turn.Where(i => Volatile.Read(ref ready[i])).Concat(turn.Where(i => !Volatile.Read(ref ready[i]))).Select(i => gateways[i])];
        }

        /// <param name="Field">The query's first field (<c>fileComplaint</c>, <c>arrangement</c>): what was asked.</param>
        /// <param name="Gateway">The gateway that answered, or was last tried.</param>
        public readonly record struct Request(DateTimeOffset Sent, bool Answered, TimeSpan Took, string Field, int Gateway);

        /// <summary>Every request: when it was sent, whether an HTTP answer came back (any status) or the connection failed, how long it took, what it asked and of which gateway.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<Request> Requests { get; } = new();

        public int Rerouted => rerouted;

        /// <returns>The body of a 200 or 4xx answer; null for a 5xx.</returns>
        public async Task<JsonNode?> PostAsync(string query, object? variables, string? token, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            var sent = DateTimeOffset.UtcNow;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            HttpResponseMessage response;
            var order = Order();
            var field = FirstField(query);
            Uri asked;
            for (var attempt = 1; ; attempt++)
            {
                var gateway = asked = order[attempt - 1];
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "graphql"))
                {
                    Content = JsonContent.Create(new { query, variables }),
                };
                if (token is not null) request.Headers.Authorization = new("Bearer", token);
                try
                {
                    response = await http.SendAsync(request, cts.Token);
                    break;
                }
                catch (HttpRequestException e) when (attempt < gateways.Length && e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused })
                {
                    Interlocked.Increment(ref rerouted);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Requests.Enqueue(new(sent, false, watch.Elapsed, field, Array.IndexOf(gateways, gateway)));
                    throw;
                }
            }
            using var _ = response;
            var body = (int)response.StatusCode >= 500 ? null : JsonNode.Parse(await response.Content.ReadAsStringAsync(cts.Token));
            Requests.Enqueue(new(sent, true, watch.Elapsed, field, Array.IndexOf(gateways, asked)));
            return body;
        }

        private static string FirstField(string query)
        {
            var start = query.IndexOf('{', StringComparison.Ordinal) + 1;
            while (start < query.Length && char.IsWhiteSpace(query[start])) start++;
            var end = start;
            while (end < query.Length && char.IsLetterOrDigit(query[end])) end++;
            return query[start..end];
        }

        public async Task<JsonNode> DataAsync(string query, object? variables, string token)
        {
            for (var attempt = 1; ; attempt++)
            {
                var body = await PostAsync(query, variables, token, TimeSpan.FromSeconds(15));
                if (body is not null && body["errors"] is null) return body["data"]!;
                if (attempt == 20) throw new InvalidOperationException($"{query}: {body?.ToJsonString() ?? "5xx"}");
                await Task.Delay(500);
            }
        }
    }

/// <summary>What these tests read back: a proposal's votes, a caller's complaint list.</summary>
internal static class Reads
{
    public sealed record VoteState(string? Choice, int HistoryEntries);

    public static async Task<VoteState> ProposalVotesAsync(Api client, string token)
    {
        var data = await client.DataAsync("query($p: ID!) { proposal(id: $p) { phase votes { municipality { code } choice } history { action } } }", new { p = ChaosTests.ProposalId }, token);
        var proposal = data["proposal"]!;
        Assert.Equal("VOTING", proposal["phase"]!.GetValue<string>());
        var choice = proposal["votes"]!.AsArray().FirstOrDefault(v => v!["municipality"]!["code"]!.GetValue<string>() == "GM0405")?["choice"]?.GetValue<string>();
        var entries = proposal["history"]!.AsArray().Count(h => h!["action"]!.GetValue<string>() is "vote-cast" or "vote-changed");
        return new(choice, entries);
    }

    public static async Task<int> CountComplaintsAsync(Api client, string token) => (await ListedComplaintIdsAsync(client, token)).Count;

    public static async Task<HashSet<string>> ListedComplaintIdsAsync(Api client, string token)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var page = (await client.DataAsync("query($after: String) { complaints(first: 100, after: $after) { edges { node { key } } pageInfo { hasNextPage endCursor } } }",
                new { after }, token))["complaints"]!;
            foreach (var edge in page["edges"]!.AsArray()) ids.Add(edge!["node"]!["key"]!.GetValue<string>());
            if (!page["pageInfo"]!["hasNextPage"]!.GetValue<bool>()) return ids;
            after = page["pageInfo"]!["endCursor"]!.GetValue<string>();
        }
    }
}
