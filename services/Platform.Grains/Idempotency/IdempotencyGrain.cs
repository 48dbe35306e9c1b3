namespace Platform.Grains.Idempotency;

[GenerateSerializer]
public sealed class IdempotencyState
{
    [Id(0)] public string Fingerprint { get; set; } = "";
    [Id(1)] public string ReservedId { get; set; } = "";
    [Id(2)] public CommandResult? Result { get; set; }
    [Id(3)] public DateTimeOffset LeaseUntil { get; set; }
    [Id(4)] public string Attempt { get; set; } = "";
}

public sealed class IdempotencyGrain(
    [PersistentState("idempotency", StorageNames.Grains)] IPersistentState<IdempotencyState> state,
    TimeProvider time) : Grain, IIdempotencyGrain
{
    /// <summary>How long a started request holds its key before a retry may take over (after a crash).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public async Task<IdempotencyTicket> BeginAsync(string fingerprint, string attempt)
    {
        var s = state.State;
        if (state.RecordExists)
        {
            if (s.Fingerprint != fingerprint) return new(IdempotencyOutcome.KeyReused, s.ReservedId, null);
            if (s.Result is not null) return new(IdempotencyOutcome.Replay, s.ReservedId, s.Result);
            var sameAttempt = attempt.Length > 0 && attempt == s.Attempt;
            if (time.GetUtcNow() < s.LeaseUntil && !sameAttempt) return new(IdempotencyOutcome.InProgress, s.ReservedId, null);
        }
        else
        {
            s.Fingerprint = fingerprint;
            // Reserved before the mutation runs, so a retry after a crash creates the same aggregate, not a second one.
            s.ReservedId = Guid.NewGuid().ToString("N")[..12];
        }
        s.LeaseUntil = time.GetUtcNow() + Lease;
        s.Attempt = attempt;
        await state.WriteStateAsync();
        return new(IdempotencyOutcome.Proceed, s.ReservedId, null);
    }

    public async Task AbandonAsync()
    {
        if (state.State.Result is not null) return;
        state.State.LeaseUntil = DateTimeOffset.MinValue;
        await state.WriteStateAsync();
    }

    public async Task CompleteAsync(CommandResult result)
    {
        state.State.Result = result;
        await state.WriteStateAsync();
    }
}
