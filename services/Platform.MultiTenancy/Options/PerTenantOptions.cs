using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Platform.MultiTenancy.Options;

/// <summary>Options as they apply to the current tenant: the configured values, then each per-tenant change.</summary>
public interface IPerTenantOptions<out TOptions> where TOptions : class
{
    TOptions Value { get; }
}

public sealed record PerTenantConfiguration<TOptions>(Action<TOptions, TenantInfo> Configure) where TOptions : class;

/// <summary>Computes each tenant's options once and keeps them, keyed by tenant id.</summary>
public sealed class PerTenantOptionsCache<TOptions>(
    IOptionsMonitor<TOptions> defaults,
    IEnumerable<PerTenantConfiguration<TOptions>> configurations,
    IMultiTenantContextAccessor accessor) : IPerTenantOptions<TOptions>
    where TOptions : class, new()
{
    private readonly ConcurrentDictionary<string, TOptions> cache = new(StringComparer.Ordinal);

    public TOptions Value => accessor.MultiTenantContext.TenantInfo is { } tenant
        ? cache.GetOrAdd(tenant.Id, _ => Build(tenant))
        : defaults.CurrentValue;

    /// <summary>Forget one tenant's options, e.g. after its profile changed.</summary>
    public void Clear(string tenantId) => cache.TryRemove(tenantId, out _);

    private TOptions Build(TenantInfo tenant)
    {
        var options = new TOptions();
        // Start from the configured values (a fresh copy, so tenants never share an instance).
        foreach (var property in typeof(TOptions).GetProperties().Where(p => p.CanRead && p.CanWrite))
        {
            property.SetValue(options, property.GetValue(defaults.CurrentValue));
        }
        foreach (var configuration in configurations) configuration.Configure(options, tenant);
        return options;
    }
}

public static class PerTenantOptionsExtensions
{
    public static IServiceCollection ConfigurePerTenant<TOptions>(this IServiceCollection services, Action<TOptions, TenantInfo> configure)
        where TOptions : class, new()
    {
        services.AddOptions<TOptions>();
        services.AddSingleton(new PerTenantConfiguration<TOptions>(configure));
        services.AddSingleton<PerTenantOptionsCache<TOptions>>();
        services.AddSingleton<IPerTenantOptions<TOptions>>(sp => sp.GetRequiredService<PerTenantOptionsCache<TOptions>>());
        return services;
    }
}
