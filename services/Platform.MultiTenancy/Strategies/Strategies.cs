using Microsoft.AspNetCore.Http;

namespace Platform.MultiTenancy.Strategies;

/// <summary>The organisation claim of the signed-in caller's token: the default strategy.</summary>
public sealed class ClaimStrategy(string claimType = ClaimStrategy.DefaultClaimType) : IMultiTenantStrategy
{
    public const string DefaultClaimType = "org";

    public int Priority => 400;
    public string Name => "claim";

    public Task<string?> GetIdentifierAsync(HttpContext context) =>
        Task.FromResult(context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(claimType)?.Value : null);
}

/// <summary><c>/t/{tenant}/...</c>, for links into a municipality's part of the portal.</summary>
public sealed class RouteStrategy : IMultiTenantStrategy
{
    public const string Prefix = "/t/";

    public int Priority => 300;
    public string Name => "route";

    public Task<string?> GetIdentifierAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return Task.FromResult<string?>(null);
        var rest = path[Prefix.Length..];
        var end = rest.IndexOf('/');
        var identifier = end < 0 ? rest : rest[..end];
        return Task.FromResult<string?>(identifier.Length == 0 ? null : Uri.UnescapeDataString(identifier));
    }
}

/// <summary>
/// The host name, by a template such as <c>{tenant}.arrangements.example.nl</c>: the part where
/// <c>{tenant}</c> stands is the identifier.
/// </summary>
public sealed class HostStrategy(string template) : IMultiTenantStrategy
{
    private readonly string suffix = template.Replace("{tenant}", "", StringComparison.Ordinal);

    public int Priority => 200;
    public string Name => "host";

    public Task<string?> GetIdentifierAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (!template.StartsWith("{tenant}", StringComparison.Ordinal) || !host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) || host.Length <= suffix.Length)
        {
            return Task.FromResult<string?>(null);
        }
        return Task.FromResult<string?>(host[..^suffix.Length]);
    }
}

/// <summary>A request header naming the tenant. Only for Development: a header is trivially forged.</summary>
public sealed class HeaderStrategy(string headerName = HeaderStrategy.DefaultHeader) : IMultiTenantStrategy
{
    public const string DefaultHeader = "X-Tenant";

    public int Priority => 100;
    public string Name => "header";

    public Task<string?> GetIdentifierAsync(HttpContext context) =>
        Task.FromResult(context.Request.Headers.TryGetValue(headerName, out var value) && value.Count == 1 && !string.IsNullOrWhiteSpace(value) ? value.ToString() : null);
}
