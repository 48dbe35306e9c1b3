using Microsoft.AspNetCore.Http;

namespace Platform.MultiTenancy;

public enum ResolutionOutcome
{
    /// <summary>No strategy named a tenant.</summary>
    None,
    Resolved,
    /// <summary>A strategy named a tenant that no store knows.</summary>
    Unknown,
    /// <summary>Two strategies named different tenants.</summary>
    Conflict,
}

public sealed record TenantResolution(ResolutionOutcome Outcome, MultiTenantContext Context, string Detail);

/// <summary>
/// Asks every strategy (highest priority first), then the stores in order. Unlike Finbuckle, which stops
/// at the first strategy that answers, all strategies are asked: when two name different tenants
/// (a token for GM0405 on a link for GM0363) the request is refused rather than silently served.
/// </summary>
public sealed class TenantResolver(IEnumerable<IMultiTenantStrategy> strategies, IEnumerable<IMultiTenantStore> stores)
{
    private readonly IReadOnlyList<IMultiTenantStrategy> strategies = strategies.OrderByDescending(s => s.Priority).ToList();
    private readonly IReadOnlyList<IMultiTenantStore> stores = stores.ToList();

    public IReadOnlyList<IMultiTenantStrategy> Strategies => strategies;

    public async Task<TenantResolution> ResolveAsync(HttpContext context)
    {
        var named = new List<(string Strategy, string Identifier)>();
        foreach (var strategy in strategies)
        {
            if (await strategy.GetIdentifierAsync(context) is { } identifier) named.Add((strategy.Name, identifier));
        }
        if (named.Count == 0) return new(ResolutionOutcome.None, MultiTenantContext.Empty, "No tenant named.");

        var distinct = named.Select(n => n.Identifier).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (distinct.Count > 1)
        {
            return new(ResolutionOutcome.Conflict, MultiTenantContext.Empty,
                "The request names more than one tenant: " + string.Join(", ", named.Select(n => $"{n.Identifier} ({n.Strategy})")) + ".");
        }

        var (strategyName, first) = named[0];
        foreach (var store in stores)
        {
            if (await store.GetByIdentifierAsync(first) is { } tenant)
            {
                return new(ResolutionOutcome.Resolved, new MultiTenantContext(tenant, strategyName, store.Name), $"{tenant.Id} by {strategyName}");
            }
        }
        return new(ResolutionOutcome.Unknown, MultiTenantContext.Empty, $"No organisation '{first}' is known here.");
    }
}
