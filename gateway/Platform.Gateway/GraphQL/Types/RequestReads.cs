using System.Collections.Concurrent;
using GraphQL;
using GraphQLParser.AST;
using Platform.Grains.Municipalities;

namespace Platform.Gateway.GraphQL.Types;

/// <summary>
/// Reads that a query makes many times over, each made once per request: a page of 50 arrangements names about
/// 225 member municipalities, of which many are the same (342 municipalities in 1,000 arrangements). The grains
/// answer one key at a time, so there is nothing to batch beyond that; what is saved is the repeated call.
/// Only for queries: a mutation may change what an earlier field of the same request read.
/// </summary>
public sealed class RequestReads(GrainReferences grains)
{
    private readonly ConcurrentDictionary<string, Task<MunicipalitySnapshot?>> municipalities = new(StringComparer.Ordinal);

    /// <summary>The municipality, read by <paramref name="read"/> the first time this request names it.</summary>
    public Task<MunicipalitySnapshot?> MunicipalityAsync(string code, Func<IMunicipalityGrain, Task<MunicipalitySnapshot?>> read) =>
        municipalities.GetOrAdd(code, c => read(grains.Get<IMunicipalityGrain>(c)));

    /// <summary>
    /// The municipality, read once per query request, from the record this gateway keeps under the public data feed
    /// when it has one; otherwise (and every time in a mutation) from its grain, the snapshot copied only when it changed
    /// since this gateway last read it (<see cref="KeptSnapshots{T}"/>).
    /// </summary>
    public static Task<MunicipalitySnapshot?> MunicipalityAsync(IResolveFieldContext context, string code)
    {
        var services = context.RequestServices!;
        var snapshots = services.GetRequiredService<KeptSnapshots<MunicipalitySnapshot>>();
        Task<MunicipalitySnapshot?> FromGrain(IMunicipalityGrain grain) => snapshots.ReadAsync(code, grain.GetIfChangedAsync);
        return context.Operation.Operation == OperationType.Query
            ? services.GetRequiredService<RequestReads>().MunicipalityAsync(code, grain => Http.PublicRecords.ReadAsync(context, grain, () => FromGrain(grain)))
            : FromGrain(context.Grain<IMunicipalityGrain>(code));
    }
}
