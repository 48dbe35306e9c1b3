using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Platform.MultiTenancy.AspNetCore;

public sealed class MultiTenantOptions
{
    /// <summary>Writes the refusal (403 for a conflict, 404 for an unknown tenant in the URL). Default: plain text.</summary>
    public Func<HttpContext, int, string, string, Task> OnRefused { get; set; } = async (context, status, code, detail) =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"{code}: {detail}");
    };
}

/// <summary>Resolves the tenant of each request and makes it available through <see cref="IMultiTenantContextAccessor"/>.</summary>
public sealed class MultiTenantMiddleware(RequestDelegate next)
{
    public const string ConflictCode = "TENANT_CONFLICT";
    public const string NotFoundCode = "TENANT_NOT_FOUND";

    public async Task InvokeAsync(HttpContext context, TenantResolver resolver, IMultiTenantContextSetter setter, IOptions<MultiTenantOptions> options)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ExcludeFromMultiTenantResolutionAttribute>() is not null)
        {
            await next(context);
            return;
        }
        var resolution = await resolver.ResolveAsync(context);
        switch (resolution.Outcome)
        {
            case ResolutionOutcome.Conflict:
                await options.Value.OnRefused(context, StatusCodes.Status403Forbidden, ConflictCode, resolution.Detail);
                return;
            case ResolutionOutcome.Unknown when NamedByAddress(context):
                // A link or host that names an organisation we do not have is a page that does not exist.
                await options.Value.OnRefused(context, StatusCodes.Status404NotFound, NotFoundCode, resolution.Detail);
                return;
        }
        setter.MultiTenantContext = resolution.Context;
        context.Items[typeof(MultiTenantContext)] = resolution.Context;
        await next(context);
    }

    private static bool NamedByAddress(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/t", StringComparison.OrdinalIgnoreCase);
}
