using System.Security.Cryptography;
using System.Text;
using Platform.Domain.Access;
using Platform.Domain.Validation;
using Platform.Grains;
using Platform.Grains.Idempotency;

namespace Platform.Gateway.Mutations;

/// <summary>
/// The one idempotency mechanism of every write, GraphQL and REST alike: a key (the client's), scoped to the
/// operation and the caller, recorded in a grain with a fingerprint of the input. The first request runs with an
/// id reserved for it; a retry gets the first result; the same key with other input is refused; a request that
/// failed for a passing reason (a service unreachable) frees its key for the retry.
/// </summary>
public static class IdempotentRequest
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 100;

    /// <summary>Null when the key is usable; otherwise what is wrong with it.</summary>
    public static string? KeyProblem(string key) => key.Length is 0 or > MaxKeyLength
        ? $"The idempotency key must be 1 to {MaxKeyLength} characters long; it is {key.Length}."
        : null;

    public static async Task<(IdempotencyTicket Ticket, IIdempotencyGrain Record)> BeginAsync(IGrainFactory grains, string operation, Caller caller, string key, string fingerprint)
    {
        // Scoped to the caller, so two callers never share a key (nor learn of each other's requests).
        var record = grains.GetGrain<IIdempotencyGrain>($"{operation}/{caller.Kind}:{caller.Subject}/{key}");
        return (await BeginAsync(record, fingerprint), record);
    }

    /// <summary>
    /// Opens the request on its record; sent once more, as the same attempt, when the record's silo left or its answer
    /// did not come in time (the record may have opened the key before the answer was lost, and then lets the same
    /// attempt proceed). When the second call goes unanswered too, the key is freed for the client's retry.
    /// </summary>
    public static async Task<IdempotencyTicket> BeginAsync(IIdempotencyGrain record, string fingerprint)
    {
        var attempt = Guid.NewGuid().ToString("N");
        try
        {
            return await AgainIfUnansweredAsync(() => record.BeginAsync(fingerprint, attempt));
        }
        catch (TimeoutException)
        {
            // The answer was lost twice; the record may hold the key for this attempt, which ran nothing. Free it, so
            // that the client's retry runs at once instead of meeting IN_PROGRESS for the whole lease.
            await AbandonQuietlyAsync(record);
            throw;
        }
    }

    /// <summary>
    /// Runs the request under its key. When a grain call fails because its silo left (a rolling update) or its answer
    /// did not come in time (a call lost as its silo left), the request runs once more with the same reserved id,
    /// which the aggregates treat as the same request: the client gets its answer instead of an error. Orleans drops
    /// a request older than the timeout instead of delivering it, and a grain runs one call at a time, so the first
    /// attempt cannot run after the second. A write its storage refused because another activation of its grain wrote
    /// first (a grain briefly active on two silos as one leaves) stored nothing and is sent once more the same way.
    /// When the second fails like that too, the key is freed, so that the client's retry runs now with the same
    /// reserved id instead of meeting <c>IN_PROGRESS</c> until the lease runs out (run cp: 58 failed attempts of one vote).
    /// </summary>
    public static async Task<T> RunAsync<T>(IIdempotencyGrain record, Func<Task<T>> run)
    {
        try
        {
            return await AgainAsync(run, SendAgain);
        }
        catch (Exception e) when (SendAgain(e))
        {
            await AbandonQuietlyAsync(record);
            throw;
        }
    }

    /// <summary>A write whose outcome is open (its silo left, no answer in time) or that its storage refused (a state conflict).</summary>
    private static bool SendAgain(Exception e) => Protection.ClusterFailure.LeftOpen(e) || Protection.ClusterFailure.IsStateConflict(e);

    private static async Task AbandonQuietlyAsync(IIdempotencyGrain record)
    {
        try
        {
            await record.AbandonAsync();
        }
        catch (Exception again) when (Protection.ClusterFailure.LeftOpen(again))
        {
            // The lease runs out by itself.
        }
    }

    /// <summary>
    /// Records the request's result for its key (sent once more when the record's silo left). The request was carried
    /// out, so when the record cannot be reached its result still goes to the client: the key stays open until its
    /// lease runs out, and a retry after that runs again with the same reserved id, which changes nothing twice.
    /// </summary>
    public static async Task FinishAsync(IIdempotencyGrain record, CommandResult result)
    {
        var inProgress = result.Errors.Any(e => e.Code == ViolationCodes.InProgress);
        try
        {
            await AgainIfSiloGoneAsync(async () =>
            {
                await (inProgress ? record.AbandonAsync() : record.CompleteAsync(result));
                return true;
            });
        }
        catch (Exception e) when (Protection.ClusterFailure.LeftOpen(e))
        {
            // The lease runs out by itself.
        }
    }

    /// <summary>A grain call sent once more, after a short pause, when its silo left while answering it.</summary>
    private static Task<T> AgainIfSiloGoneAsync<T>(Func<Task<T>> call) => AgainAsync(call, Protection.ClusterFailure.IsSiloGone);

    /// <summary>A grain call sent once more, after a short pause, when its silo left or its answer did not come in time.</summary>
    private static Task<T> AgainIfUnansweredAsync<T>(Func<Task<T>> call) => AgainAsync(call, Protection.ClusterFailure.LeftOpen);

    private static async Task<T> AgainAsync<T>(Func<Task<T>> call, Func<Exception, bool> sendAgain)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (sendAgain(e))
        {
            await Task.Delay(Protection.ClusterFailure.RetryPause);
            return await call();
        }
    }

    /// <summary>A fingerprint of parts of a request (in order).</summary>
    public static string Fingerprint(IEnumerable<string?> parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts.Select(p => p ?? "\u0000")))));

    public static string KeyReusedMessage(string key, string operation) =>
        $"The idempotency key '{key}' was used before for {operation} with different input; use a new key for a new request.";

    public static string InProgressMessage(string key) =>
        $"A request with the idempotency key '{key}' is still being processed; retry in a few seconds.";
}
