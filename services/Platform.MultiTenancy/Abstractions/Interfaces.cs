using Microsoft.AspNetCore.Http;

namespace Platform.MultiTenancy;

/// <summary>Finds the tenant identifier a request names, if any. Strategies run in order of <see cref="Priority"/> (highest first).</summary>
public interface IMultiTenantStrategy
{
    int Priority { get; }

    string Name { get; }

    Task<string?> GetIdentifierAsync(HttpContext context);
}

/// <summary>Turns an identifier into a tenant. Stores are asked in the order they were added; the first hit wins.</summary>
public interface IMultiTenantStore
{
    string Name { get; }

    Task<TenantInfo?> GetByIdentifierAsync(string identifier);

    Task<TenantInfo?> GetAsync(string id);
}

/// <summary>Read everywhere: the tenant of the current request.</summary>
public interface IMultiTenantContextAccessor
{
    MultiTenantContext MultiTenantContext { get; }
}

/// <summary>Used only by the middleware (and tests) to set the tenant of the current request.</summary>
public interface IMultiTenantContextSetter
{
    MultiTenantContext MultiTenantContext { set; }
}

/// <summary>Marks an endpoint that needs no tenant (health probes, discovery documents).</summary>
public sealed class ExcludeFromMultiTenantResolutionAttribute : Attribute;
