namespace Platform.MultiTenancy;

public enum TenantKind
{
    Municipality = 0,
    ExecutingOrganisation = 1,
}

/// <summary>
/// A tenant: an organisation (a municipality or an executing organisation). As in Finbuckle,
/// <see cref="Id"/> is stable and <see cref="Identifier"/> is what requests carry; here both are the
/// organisation's code (GM0405, afvalbedrijf-nhn).
/// </summary>
public sealed record TenantInfo(string Id, string Identifier, string Name, TenantKind Kind);

/// <summary>The tenant of the current request, and which strategy and store found it.</summary>
public sealed record MultiTenantContext(TenantInfo? TenantInfo, string? StrategyName, string? StoreName)
{
    public static MultiTenantContext Empty { get; } = new(null, null, null);

    public bool HasResolvedTenant => TenantInfo is not null;
}
