using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Reliability.Tests;

/// <summary>The gateway as a client sees it: GraphQL over HTTP with a bearer token.</summary>
    internal sealed class Api(Uri gateway)
    {
        private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };

        /// <summary>Every request: when it was sent, and whether an HTTP answer came back (any status) or the connection failed.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<(DateTimeOffset Sent, bool Answered)> Requests { get; } = new();

        /// <returns>The body of a 200 or 4xx answer; null for a 5xx.</returns>
        public async Task<JsonNode?> PostAsync(string query, object? variables, string token, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "graphql"))
            {
                Content = JsonContent.Create(new { query, variables }),
            };
            request.Headers.Authorization = new("Bearer", token);
            var sent = DateTimeOffset.UtcNow;
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cts.Token);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Requests.Enqueue((sent, false));
                throw;
            }
            Requests.Enqueue((sent, true));
            using var _ = response;
            if ((int)response.StatusCode >= 500) return null;
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cts.Token));
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
