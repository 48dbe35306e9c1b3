using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphQL;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains;
using Platform.Grains.Idempotency;

namespace Platform.Gateway.Mutations;

/// <summary>What a mutation answers: the first result for its idempotency key.</summary>
public sealed record MutationPayload(string? ClientMutationId, CommandResult Result, string? Subject = null);

/// <summary>
/// Runs a mutation at most once per idempotency key (the input's clientMutationId, else the
/// Idempotency-Key header). The key's record lives in a grain, so retries that land on another
/// gateway instance get the same answer.
/// </summary>
public static class IdempotentMutation
{
    public const string HeaderName = IdempotentRequest.HeaderName;

    public static async Task<MutationPayload> RunAsync<TInput>(
        IResolveFieldContext context,
        TInput input,
        Func<string, Task<CommandResult>> run,
        string? subject = null)
        where TInput : MutationInput
    {
        var caller = context.Caller();

        var key = input.ClientMutationId
            ?? (context.UserContext.TryGetValue(HeaderName, out var header) ? header as string : null);
        if (key is null)
        {
            return new(null, AccessErrors.ThrowIfRefused(await run(NewId())), subject);
        }
        if (IdempotentRequest.KeyProblem(key) is { } problem)
        {
            return new(input.ClientMutationId, CommandResult.Fail("clientMutationId", ViolationCodes.OutOfRange, problem), subject);
        }

        var operation = context.FieldDefinition.Name;
        var (ticket, record) = await IdempotentRequest.BeginAsync(context.Grains(), operation, caller, key, Fingerprint(context));
        switch (ticket.Outcome)
        {
            case IdempotencyOutcome.Replay:
                return new(input.ClientMutationId, AccessErrors.ThrowIfRefused(ticket.FirstResult!), subject);
            case IdempotencyOutcome.KeyReused:
                return new(input.ClientMutationId, CommandResult.Fail("clientMutationId", ViolationCodes.IdempotencyKeyReused,
                    IdempotentRequest.KeyReusedMessage(key, operation)), subject);
            case IdempotencyOutcome.InProgress:
                return new(input.ClientMutationId, CommandResult.Fail("clientMutationId", ViolationCodes.InProgress,
                    IdempotentRequest.InProgressMessage(key)), subject);
        }
        var result = await IdempotentRequest.RunAsync(record, () => run(ticket.ReservedId));
        await IdempotentRequest.FinishAsync(record, result);
        return new(input.ClientMutationId, AccessErrors.ThrowIfRefused(result), subject);
    }

    public static string NewId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>A hash of the input as sent, key order ignored and the key itself left out.</summary>
    private static string Fingerprint(IResolveFieldContext context)
    {
        var raw = context.Arguments?["input"].Value;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(json, raw, skip: "clientMutationId");
        }
        return Convert.ToHexString(SHA256.HashData(buffer.ToArray()));
    }

    private static void WriteCanonical(Utf8JsonWriter json, object? value, string? skip = null)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case IDictionary<string, object?> map:
                json.WriteStartObject();
                foreach (var (name, item) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (name == skip) continue;
                    json.WritePropertyName(name);
                    WriteCanonical(json, item);
                }
                json.WriteEndObject();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case IEnumerable list:
                json.WriteStartArray();
                foreach (var item in list) WriteCanonical(json, item);
                json.WriteEndArray();
                break;
            default:
                JsonSerializer.Serialize(json, value, value.GetType());
                break;
        }
    }
}
