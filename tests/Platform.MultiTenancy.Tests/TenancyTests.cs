using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.MultiTenancy.AspNetCore;
using Platform.MultiTenancy.Options;
using Platform.MultiTenancy.Strategies;
using Platform.MultiTenancy.Stores;

namespace Platform.MultiTenancy.Tests;

public sealed class TenancyTests
{
    private static readonly TenantInfo Hoorn = new("GM0405", "GM0405", "Hoorn", TenantKind.Municipality);
    private static readonly TenantInfo Amsterdam = new("GM0363", "GM0363", "Amsterdam", TenantKind.Municipality);

    private static TenantResolver Resolver(params IMultiTenantStrategy[] strategies) =>
        new(strategies, [new InMemoryStore([Hoorn, Amsterdam])]);

    private static DefaultHttpContext Request(string path = "/graphql", string? org = null, string host = "localhost", string? header = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.Host = new HostString(host);
        if (org is not null) context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("org", org)], "Bearer"));
        if (header is not null) context.Request.Headers["X-Tenant"] = header;
        return context;
    }

    [Fact]
    public async Task The_token_claim_names_the_tenant()
    {
        var resolution = await Resolver(new ClaimStrategy(), new RouteStrategy()).ResolveAsync(Request(org: "GM0405"));

        Assert.Equal(ResolutionOutcome.Resolved, resolution.Outcome);
        Assert.Equal((Hoorn, "claim", "in-memory"), (resolution.Context.TenantInfo, resolution.Context.StrategyName, resolution.Context.StoreName));
    }

    [Fact]
    public async Task A_claim_of_an_unauthenticated_principal_is_ignored()
    {
        var context = Request();
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("org", "GM0405")])); // no authentication type

        var resolution = await Resolver(new ClaimStrategy()).ResolveAsync(context);

        Assert.Equal(ResolutionOutcome.None, resolution.Outcome);
    }

    [Theory]
    [InlineData("/t/GM0363/graphql", "GM0363")]
    [InlineData("/t/gm0363", "gm0363")]
    [InlineData("/graphql", null)]
    [InlineData("/t//graphql", null)]
    public async Task The_route_strategy_reads_the_first_segment_after_t(string path, string? expected)
    {
        Assert.Equal(expected, await new RouteStrategy().GetIdentifierAsync(Request(path)));
    }

    [Theory]
    [InlineData("gm0405.regelingen.example.nl", "gm0405")]
    [InlineData("regelingen.example.nl", null)]
    [InlineData("gm0405.elsewhere.example.nl", null)]
    public async Task The_host_strategy_reads_the_part_of_the_host_the_template_marks(string host, string? expected)
    {
        Assert.Equal(expected, await new HostStrategy("{tenant}.regelingen.example.nl").GetIdentifierAsync(Request(host: host)));
    }

    [Fact]
    public async Task Two_strategies_that_agree_resolve_and_the_higher_priority_is_credited()
    {
        var resolution = await Resolver(new RouteStrategy(), new ClaimStrategy()).ResolveAsync(Request("/t/gm0405/graphql", org: "GM0405"));

        Assert.Equal(ResolutionOutcome.Resolved, resolution.Outcome);
        Assert.Equal("claim", resolution.Context.StrategyName);
    }

    [Fact]
    public async Task Two_strategies_that_name_different_tenants_are_a_conflict()
    {
        var resolution = await Resolver(new ClaimStrategy(), new RouteStrategy()).ResolveAsync(Request("/t/GM0363/graphql", org: "GM0405"));

        Assert.Equal(ResolutionOutcome.Conflict, resolution.Outcome);
        Assert.Contains("GM0405 (claim)", resolution.Detail);
        Assert.Contains("GM0363 (route)", resolution.Detail);
        Assert.False(resolution.Context.HasResolvedTenant);
    }

    [Fact]
    public async Task An_identifier_no_store_knows_is_unknown()
    {
        var resolution = await Resolver(new RouteStrategy()).ResolveAsync(Request("/t/GM9999/graphql"));

        Assert.Equal(ResolutionOutcome.Unknown, resolution.Outcome);
    }

    [Fact]
    public async Task The_first_store_that_knows_the_tenant_wins()
    {
        var renamed = Hoorn with { Name = "Hoorn (first store)" };
        var resolver = new TenantResolver([new RouteStrategy()], [new InMemoryStore([renamed]), new InMemoryStore([Hoorn])]);

        var resolution = await resolver.ResolveAsync(Request("/t/GM0405/x"));

        Assert.Equal("Hoorn (first store)", resolution.Context.TenantInfo!.Name);
    }

    [Theory]
    [InlineData("Development", 1)]
    [InlineData("Production", 0)]
    [InlineData("Testing", 0)]
    public void The_header_strategy_exists_only_in_Development(string environment, int expected)
    {
        var services = new ServiceCollection();
        services.AddMultiTenant().WithDevelopmentHeaderStrategy(new Environment(environment));

        Assert.Equal(expected, services.BuildServiceProvider().GetServices<IMultiTenantStrategy>().OfType<HeaderStrategy>().Count());
    }

    [Theory]
    [InlineData("/t/GM0363/graphql", "GM0405", 403, MultiTenantMiddleware.ConflictCode)]
    [InlineData("/t/GM9999/graphql", null, 404, MultiTenantMiddleware.NotFoundCode)]
    public async Task The_middleware_refuses_a_conflict_with_403_and_an_unknown_link_with_404(string path, string? org, int status, string code)
    {
        var (middleware, services, reached) = Pipeline();
        var context = Request(path, org);
        context.RequestServices = services;
        context.Response.Body = new MemoryStream();

        await middleware.InvokeAsync(context, services.GetRequiredService<TenantResolver>(), services.GetRequiredService<IMultiTenantContextSetter>(), services.GetRequiredService<IOptions<MultiTenantOptions>>());

        Assert.Equal(status, context.Response.StatusCode);
        Assert.False(reached());
        context.Response.Body.Position = 0;
        Assert.StartsWith(code, new StreamReader(context.Response.Body).ReadToEnd());
    }

    [Fact]
    public async Task The_middleware_sets_the_tenant_for_the_rest_of_the_request()
    {
        MultiTenantContext? seen = null;
        var services = Services();
        var accessor = services.GetRequiredService<IMultiTenantContextAccessor>();
        var middleware = new MultiTenantMiddleware(_ => { seen = accessor.MultiTenantContext; return Task.CompletedTask; });
        var context = Request("/t/GM0363/graphql");

        await middleware.InvokeAsync(context, services.GetRequiredService<TenantResolver>(), services.GetRequiredService<IMultiTenantContextSetter>(), services.GetRequiredService<IOptions<MultiTenantOptions>>());

        Assert.Equal(Amsterdam, seen!.TenantInfo);
    }

    private sealed class Branding
    {
        public string Title { get; set; } = "Regelingen";
        public string Colour { get; set; } = "#154273";
    }

    [Fact]
    public void Per_tenant_options_start_from_the_configured_values_and_are_kept_per_tenant()
    {
        var services = new ServiceCollection();
        services.AddMultiTenant();
        services.Configure<Branding>(o => o.Colour = "#000000");
        var built = 0;
        services.ConfigurePerTenant<Branding>((o, tenant) => { o.Title = $"Regelingen van {tenant.Name}"; built++; });
        var provider = services.BuildServiceProvider();
        var setter = provider.GetRequiredService<IMultiTenantContextSetter>();
        var options = provider.GetRequiredService<IPerTenantOptions<Branding>>();

        setter.MultiTenantContext = new(Hoorn, "claim", "in-memory");
        var hoorn = options.Value;
        var again = options.Value;
        setter.MultiTenantContext = new(Amsterdam, "claim", "in-memory");
        var amsterdam = options.Value;
        setter.MultiTenantContext = MultiTenantContext.Empty;

        Assert.Equal(("Regelingen van Hoorn", "#000000"), (hoorn.Title, hoorn.Colour));
        Assert.Same(hoorn, again);
        Assert.Equal("Regelingen van Amsterdam", amsterdam.Title);
        Assert.Equal(2, built);
        Assert.Equal("Regelingen", options.Value.Title);
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddMultiTenant().WithClaimStrategy().WithRouteStrategy().WithInMemoryStore(Hoorn, Amsterdam);
        return services.BuildServiceProvider();
    }

    private static (MultiTenantMiddleware, ServiceProvider, Func<bool>) Pipeline()
    {
        var reached = false;
        return (new MultiTenantMiddleware(_ => { reached = true; return Task.CompletedTask; }), Services(), () => reached);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
