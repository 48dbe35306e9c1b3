using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Platform.MultiTenancy.AspNetCore;
using Platform.MultiTenancy.Strategies;
using Platform.MultiTenancy.Stores;

namespace Platform.MultiTenancy;

/// <summary>Configures tenant resolution: which strategies, which stores, in Finbuckle's fluent style.</summary>
public sealed class MultiTenantBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    public MultiTenantBuilder WithStrategy(IMultiTenantStrategy strategy)
    {
        Services.AddSingleton(strategy);
        return this;
    }

    public MultiTenantBuilder WithClaimStrategy(string claimType = ClaimStrategy.DefaultClaimType) => WithStrategy(new ClaimStrategy(claimType));

    public MultiTenantBuilder WithRouteStrategy() => WithStrategy(new RouteStrategy());

    public MultiTenantBuilder WithHostStrategy(string template) => WithStrategy(new HostStrategy(template));

    /// <summary>The header strategy, added only in Development: anywhere else the header has no effect.</summary>
    public MultiTenantBuilder WithDevelopmentHeaderStrategy(IHostEnvironment environment, string header = HeaderStrategy.DefaultHeader) =>
        environment.IsDevelopment() ? WithStrategy(new HeaderStrategy(header)) : this;

    public MultiTenantBuilder WithStore<TStore>() where TStore : class, IMultiTenantStore
    {
        Services.AddSingleton<IMultiTenantStore, TStore>();
        return this;
    }

    public MultiTenantBuilder WithInMemoryStore(params TenantInfo[] tenants)
    {
        Services.AddSingleton<IMultiTenantStore>(new InMemoryStore(tenants));
        return this;
    }

    public MultiTenantBuilder OnRefused(Func<Microsoft.AspNetCore.Http.HttpContext, int, string, string, Task> write)
    {
        Services.Configure<MultiTenantOptions>(o => o.OnRefused = write);
        return this;
    }
}

public static class MultiTenantExtensions
{
    public static MultiTenantBuilder AddMultiTenant(this IServiceCollection services)
    {
        services.TryAddSingleton<MultiTenantContextAccessor>();
        services.TryAddSingleton<IMultiTenantContextAccessor>(sp => sp.GetRequiredService<MultiTenantContextAccessor>());
        services.TryAddSingleton<IMultiTenantContextSetter>(sp => sp.GetRequiredService<MultiTenantContextAccessor>());
        services.TryAddSingleton<TenantResolver>();
        services.AddOptions<MultiTenantOptions>();
        return new MultiTenantBuilder(services);
    }

    /// <summary>Resolves the tenant; place it after routing (to see endpoint metadata) and authentication (for the claim strategy).</summary>
    public static IApplicationBuilder UseMultiTenant(this IApplicationBuilder app) => app.UseMiddleware<MultiTenantMiddleware>();

    public static TBuilder ExcludeFromMultiTenantResolution<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(new ExcludeFromMultiTenantResolutionAttribute()));
        return builder;
    }
}
