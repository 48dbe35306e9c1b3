using Microsoft.Extensions.Logging;

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

/// <summary>
/// Only a completed request is stored. Opening a key is kept in memory: its reserved id is derived from the key itself,
/// so a retry after the record was lost (its silo crashed or left before the request completed) runs under the same
/// reserved id, which the aggregates answer with the first result without changing anything twice. The record costs a
/// request no storage write it waits for: the completion is stored after it was answered.
/// </summary>
public sealed partial class IdempotencyGrain(
    [PersistentState("idempotency", StorageNames.Grains)] IPersistentState<IdempotencyState> state,
    TimeProvider time,
    ILogger<IdempotencyGrain> logger) : Grain, IIdempotencyGrain
{
    /// <summary>How long a started request holds its key before a retry may take over (its gateway stopped answering).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The write of a completion, which the caller does not wait for (<see cref="CompleteAsync"/>); every later call of
    /// this record, and its deactivation, waits for it first. It never throws.
    /// </summary>
    private Task completing = Task.CompletedTask;

    /// <summary>The id a key's request creates its aggregate with: the same for every attempt, on any silo, stored or not.</summary>
    private static string ReservedIdOf(string recordKey) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(recordKey)))[..12];

    public async Task<IdempotencyTicket> BeginAsync(string fingerprint, string attempt)
    {
        await completing;
        var s = state.State;
        if (s.Fingerprint.Length > 0)
        {
            if (s.Fingerprint != fingerprint) return new(IdempotencyOutcome.KeyReused, s.ReservedId, null);
            if (s.Result is not null) return new(IdempotencyOutcome.Replay, s.ReservedId, s.Result);
            var sameAttempt = attempt.Length > 0 && attempt == s.Attempt;
            if (time.GetUtcNow() < s.LeaseUntil && !sameAttempt) return new(IdempotencyOutcome.InProgress, s.ReservedId, null);
        }
        else
        {
            s.Fingerprint = fingerprint;
            s.ReservedId = ReservedIdOf(this.GetPrimaryKeyString());
        }
        s.LeaseUntil = time.GetUtcNow() + Lease;
        s.Attempt = attempt;
        return new(IdempotencyOutcome.Proceed, s.ReservedId, null);
    }

    public async Task AbandonAsync()
    {
        await completing;
        state.State.LeaseUntil = DateTimeOffset.MinValue;
    }

    /// <summary>
    /// Records the request's result and answers before the record is stored: the change itself is stored already (in
    /// its aggregate), and the client waits for one storage write less. A retry of the key meanwhile waits for that
    /// write and gets the result. Should the record not be stored (its silo crashed, the storage failed), a retry runs
    /// again under the same reserved id, which the aggregates answer with the first result without changing anything
    /// twice. A record that did not see the key opened (it moved to another silo meanwhile) stores nothing, for the same
    /// reason: it does not know the request's fingerprint.
    /// </summary>
    public async Task CompleteAsync(CommandResult result)
    {
        await completing;
        if (state.State.Fingerprint.Length == 0 || state.State.Result is not null) return;
        state.State.Result = result;
        completing = StoreCompletionAsync();
    }

    private async Task StoreCompletionAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            LogCompletionNotStored(logger, e, this.GetPrimaryKeyString());
            // The next activation reads what is stored: nothing, so the key's retry runs again under its reserved id.
            state.State.Result = null;
            DeactivateOnIdle();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => completing;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of idempotency key {Key} was not stored; a retry runs again under the same reserved id")]
    private static partial void LogCompletionNotStored(ILogger logger, Exception exception, string key);
}
