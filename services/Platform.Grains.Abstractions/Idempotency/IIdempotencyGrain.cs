namespace Platform.Grains.Idempotency;

/// <summary>
/// Remembers one mutation by its idempotency key (operation and clientMutationId), so that a retry
/// returns the first result and changes nothing twice. The grain serialises concurrent retries.
/// </summary>
[Alias("Platform.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <param name="fingerprint">A hash of the request's input; the same key with other input is refused.</param>
    /// <param name="attempt">
    /// The id of this attempt (one request to a gateway). The same attempt asking again while it holds the key
    /// proceeds: its first answer was lost, and nothing else holds the key.
    /// </param>
    [Alias("Begin")]
    Task<IdempotencyTicket> BeginAsync(string fingerprint, string attempt);

    [Alias("Complete")]
    Task CompleteAsync(CommandResult result);

    /// <summary>The request failed for a passing reason (a service could not be reached): the key is free for a retry at once, with the same reserved id.</summary>
    [Alias("Abandon")]
    Task AbandonAsync();
}

public enum IdempotencyOutcome
{
    /// <summary>First sight of this key: run the mutation with <see cref="IdempotencyTicket.ReservedId"/>.</summary>
    Proceed = 0,
    /// <summary>Already done: answer with <see cref="IdempotencyTicket.FirstResult"/>.</summary>
    Replay = 1,
    /// <summary>The key was used before with different input.</summary>
    KeyReused = 2,
    /// <summary>The first request with this key is still running.</summary>
    InProgress = 3,
}

[GenerateSerializer, Immutable]
public sealed record IdempotencyTicket(
    [property: Id(0)] IdempotencyOutcome Outcome,
    [property: Id(1)] string ReservedId,
    [property: Id(2)] CommandResult? FirstResult);
