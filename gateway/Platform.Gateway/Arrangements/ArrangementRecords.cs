using GraphQL;
using Microsoft.EntityFrameworkCore;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.ReadModel;

namespace Platform.Gateway.Arrangements;

/// <summary>
/// The records an arrangement keeps in grains of their own (incidents, extra work, consultations): found through the
/// event that created each, newest first, and read through its grain, which decides what the caller may see.
/// </summary>
public static class ArrangementRecords
{
    /// <summary>The records the caller may see; none for anonymous callers (every such record is for the parties only).</summary>
    public static async Task<T[]> ListAsync<T>(IResolveFieldContext ctx, string arrangementId, string createdEvent, int take, Func<string, Task<(CommandResult Access, T? Record)>> view)
        where T : class
    {
        if (!ctx.Caller().IsAuthenticated) return [];
        await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync(ctx.CancellationToken);
        var ids = await db.Events.AsNoTracking().Where(e => e.ArrangementId == arrangementId && e.Type == createdEvent)
            .OrderByDescending(e => e.Sequence).Take(take).Select(e => e.Subject).ToListAsync(ctx.CancellationToken);
        var views = await Task.WhenAll(ids.Select(view));
        return [.. views.Where(v => v.Record is not null).Select(v => v.Record!)];
    }

    /// <summary>
    /// Creates a record in an arrangement, once per idempotency key: signed-in callers only; <paramref name="create"/> gets
    /// the arrangement's key and the id reserved for the record. An unknown arrangement is a user error.
    /// </summary>
    public static async Task<MutationPayload> CreateAsync<TInput>(IResolveFieldContext ctx, TInput input, string? arrangementId, Func<string, string, Task<CommandResult>> create)
        where TInput : MutationInput
    {
        MutationType.RequireSignIn(ctx);
        var key = GlobalId.KeyOf(ArrangementType.TypeName, arrangementId);
        return await IdempotentMutation.RunAsync(ctx, input, async reservedId => key.Length > 0 ? await create(key, reservedId) : MutationType.NoArrangement(arrangementId));
    }

    /// <summary>Acts on one record, once per idempotency key: signed-in callers only; a missing record is a user error on <paramref name="field"/>.</summary>
    public static async Task<MutationPayload> ActAsync<TInput>(IResolveFieldContext ctx, TInput input, string typeName, string field, string? id, Func<string, Task<CommandResult>> act)
        where TInput : MutationInput
    {
        MutationType.RequireSignIn(ctx);
        var key = GlobalId.KeyOf(typeName, id);
        return await IdempotentMutation.RunAsync(ctx, input, async _ => key.Length > 0
            ? await act(key)
            : CommandResult.Fail(field, ViolationCodes.NotFound, $"Nothing of type {typeName} has the id '{id}'."));
    }

    /// <summary>One record by its id: null when there is none, refused (an error) when the caller may not see it.</summary>
    public static async Task<T?> OneAsync<T>(string key, Func<string, Task<(CommandResult Access, T? Record)>> view) where T : class
    {
        if (key.Length == 0) return null;
        var (access, record) = await view(key);
        if (access.Errors is [{ Code: ViolationCodes.NotFound }]) return null;
        AccessErrors.ThrowIfRefused(access);
        return record;
    }
}
