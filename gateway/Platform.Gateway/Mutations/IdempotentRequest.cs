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
        return (await record.BeginAsync(fingerprint), record);
    }

    /// <summary>
    /// Runs the request under its key. A grain call that fails because the cluster did not answer (a timeout, a silo
    /// that left) leaves the outcome open: the key is freed at once, so that the client's retry runs now with the same
    /// reserved id (which the aggregates treat as the same request) instead of waiting out the lease.
    /// </summary>
    public static async Task<T> RunAsync<T>(IIdempotencyGrain record, Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
        {
            try
            {
                await record.AbandonAsync();
            }
            catch (Exception again) when (again is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                // The lease runs out by itself.
            }
            throw;
        }
    }

    public static Task FinishAsync(IIdempotencyGrain record, CommandResult result) =>
        result.Errors.Any(e => e.Code == ViolationCodes.InProgress) ? record.AbandonAsync() : record.CompleteAsync(result);

    /// <summary>A fingerprint of parts of a request (in order).</summary>
    public static string Fingerprint(IEnumerable<string?> parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts.Select(p => p ?? "\u0000")))));

    public static string KeyReusedMessage(string key, string operation) =>
        $"The idempotency key '{key}' was used before for {operation} with different input; use a new key for a new request.";

    public static string InProgressMessage(string key) =>
        $"A request with the idempotency key '{key}' is still being processed; retry in a few seconds.";
}
