using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Platform.Reliability.Tests;

/// <summary>
/// The load: four residents' apps filing complaints (one request each at a time) and a board member changing the
/// municipality's vote back and forth, every request with its own idempotency key. A request that gets no answer
/// (connection refused, 5xx, a timeout) is sent again with the same key until it is answered; one in ten answered
/// requests is sent again on purpose and must get the same answer.
/// </summary>
internal sealed class Load(Api client, string citizen, string board, string? currentVote, double think = 1)
{
    /// <summary>Each app's pause after an answer, before its next request: <paramref name="think"/> times the usual one.</summary>
    public TimeSpan Pause(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds * think);

    private const string File = """
        mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } userErrors { code message } } }
        """;
    private const string Vote = """
        mutation($input: CastVoteInput!) { castVote(input: $input) { proposal { key } userErrors { code message } } }
        """;

    private readonly ConcurrentDictionary<string, string> filings = new();
    private readonly ConcurrentQueue<(string Query, object Variables, string Token, Func<JsonNode, string?> Read, Action<string> Acknowledge)> unanswered = new();
    private int replays, replaysMatched, retries, refusals;

    public IReadOnlyDictionary<string, string> Filings => filings;

    /// <summary>Each attempt that got no answer, or not the one asked for: when, and why.</summary>
    public ConcurrentQueue<(DateTimeOffset At, string Why)> Failures { get; } = new();
    public List<string> Votes { get; } = [];
    public string? LastVote { get; private set; } = currentVote;
    public int Replays => replays;
    public int ReplaysMatched => replaysMatched;
    public int Retries => retries;
    public int Refusals => refusals;
    public int Acknowledged => filings.Count + Votes.Count;
    public IReadOnlyCollection<string> ComplaintIds => [.. filings.Values];

    public static string Description(string key) => $"Afval naast de container, melding {key}";

    public async Task RunAsync(CancellationToken stop)
    {
        var filers = Enumerable.Range(0, 4).Select(_ => Task.Run(() => FileLoopAsync(stop)));
        await Task.WhenAll([.. filers, Task.Run(() => VoteLoopAsync(stop))]);
    }

    private async Task FileLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var key = Guid.NewGuid().ToString("N")[..16];
            var variables = new
            {
                input = new
                {
                    clientMutationId = key, arrangementId = "afval-nhn", serviceCode = "bouwpuin",
                    description = Description(key), location = new { address = "Grote Oost 1, Hoorn" },
                },
            };
            var id = await UntilAnsweredAsync(File, variables, citizen, ReadComplaint, stop);
            if (id is null) { unanswered.Enqueue((File, variables, citizen, ReadComplaint, v => filings[key] = v)); return; }
            filings[key] = id;
            await MaybeReplayAsync(File, variables, citizen, ReadComplaint, id);
            // A resident's app, not a load generator: a few filings a second each, so that the run stays short.
            await Task.Delay(Pause(150), CancellationToken.None);
        }
    }

    private async Task VoteLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var choice = LastVote == "YES" ? "NO" : "YES";
            var key = Guid.NewGuid().ToString("N")[..16];
            var variables = new { input = new { clientMutationId = key, proposalId = ChaosTests.ProposalId, choice } };
            var answer = await UntilAnsweredAsync(Vote, variables, board, ReadVote, stop);
            if (answer is null)
            {
                unanswered.Enqueue((Vote, variables, board, ReadVote, _ => { Votes.Add(key); LastVote = choice; }));
                return;
            }
            Votes.Add(key);
            LastVote = choice;
            await MaybeReplayAsync(Vote, variables, board, ReadVote, answer);
            await Task.Delay(Pause(100), CancellationToken.None);
        }
    }

    /// <summary>After the load stops: every request still unanswered is sent again with its key until answered.</summary>
    public async Task FinishAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (unanswered.TryDequeue(out var request))
        {
            var result = await UntilAnsweredAsync(request.Query, request.Variables, request.Token, request.Read, cts.Token)
                ?? throw new TimeoutException("A request stayed unanswered after the load stopped.");
            request.Acknowledge(result);
        }
    }

    private async Task MaybeReplayAsync(string query, object variables, string token, Func<JsonNode, string?> read, string first)
    {
        if (Random.Shared.Next(10) != 0) return;
        Interlocked.Increment(ref replays);
        var again = await UntilAnsweredAsync(query, variables, token, read, CancellationToken.None);
        if (again == first) Interlocked.Increment(ref replaysMatched);
    }

    /// <returns>The answer, or null when <paramref name="stop"/> came first.</returns>
    private async Task<string?> UntilAnsweredAsync(string query, object variables, string token, Func<JsonNode, string?> read, CancellationToken stop)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref retries);
                if (stop.IsCancellationRequested) return null;
                await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
            }
            JsonNode? body;
            try
            {
                body = await client.PostAsync(query, variables, token, timeout: TimeSpan.FromSeconds(15));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Failures.Enqueue((DateTimeOffset.UtcNow, $"{e.GetType().Name}: {e.InnerException?.Message ?? e.Message}"));
                continue;
            }
            if (body is null)
            {
                Failures.Enqueue((DateTimeOffset.UtcNow, "5xx"));
                continue;
            }
            if (body["errors"] is JsonArray errors && errors.Count > 0)
            {
                Interlocked.Increment(ref refusals);
                Failures.Enqueue((DateTimeOffset.UtcNow, errors[0]!["extensions"]?["code"]?.GetValue<string>() ?? errors[0]!["message"]!.GetValue<string>()));
                continue; // UNAVAILABLE and the like: the same key again
            }
            var result = read(body["data"]!);
            if (result is not null) return result;
            Interlocked.Increment(ref refusals); // IN_PROGRESS: the first attempt still holds the key
            Failures.Enqueue((DateTimeOffset.UtcNow, "IN_PROGRESS"));
        }
    }

    private static string? ReadComplaint(JsonNode data) => Read(data["fileComplaint"]!, "complaint");

    private static string? ReadVote(JsonNode data) => Read(data["castVote"]!, "proposal");

    private static string? Read(JsonNode payload, string subject)
    {
        if (payload["userErrors"] is JsonArray { Count: > 0 } errors)
        {
            var code = errors[0]!["code"]!.GetValue<string>();
            return code == "IN_PROGRESS" ? null : throw new InvalidOperationException($"refused: {errors.ToJsonString()}");
        }
        return payload[subject]!["key"]!.GetValue<string>();
    }
}
