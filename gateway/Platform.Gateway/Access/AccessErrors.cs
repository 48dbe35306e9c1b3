using GraphQL;
using Platform.Domain.Access;
using Platform.Domain.Validation;
using Platform.Grains;

namespace Platform.Gateway.Access;

/// <summary>How a refusal by a policy (in the gateway or in a grain) reaches the client: a GraphQL error with a code, and 401 or 403.</summary>
public static class AccessErrors
{
    public const string CallerKey = "caller";
    public const string TenantKey = "tenant";

    public static Platform.MultiTenancy.MultiTenantContext Tenant(this IResolveFieldContext context) =>
        context.UserContext.TryGetValue(TenantKey, out var tenant) && tenant is Platform.MultiTenancy.MultiTenantContext known
            ? known
            : Platform.MultiTenancy.MultiTenantContext.Empty;

    public static Caller Caller(this IResolveFieldContext context) =>
        context.UserContext.TryGetValue(CallerKey, out var caller) && caller is Caller known ? known : Platform.Domain.Access.Caller.Anonymous;

    /// <summary>Throws the refusal as a field error; does nothing when allowed.</summary>
    public static void Enforce(Decision decision)
    {
        if (!decision.Allowed) throw Error(decision.NeedsAuthentication ? ViolationCodes.Unauthenticated : ViolationCodes.Forbidden, decision.Reason);
    }

    /// <summary>A grain that refused the caller is answered the same way as the gateway's own check.</summary>
    public static CommandResult ThrowIfRefused(CommandResult result)
    {
        if (result.IsRefusal) throw Error(result.Errors[0].Code, result.Errors[0].Message);
        return result;
    }

    public static int? StatusOf(ExecutionResult result)
    {
        if (result.Errors is not { Count: > 0 } errors) return null;
        if (errors.Any(e => e.Code == ViolationCodes.Unauthenticated)) return StatusCodes.Status401Unauthorized;
        if (errors.Any(e => e.Code == ViolationCodes.Forbidden)) return StatusCodes.Status403Forbidden;
        return null;
    }

    private static ExecutionError Error(string code, string message) => new(message) { Code = code };
}
