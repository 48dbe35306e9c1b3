using Platform.Domain.Access;

namespace Platform.Grains;

/// <summary>
/// The caller travels with every grain call in Orleans <see cref="RequestContext"/> (and on to the
/// grains those call), so a grain can check the caller itself and record who did something. A call
/// that carries no caller is anonymous.
/// </summary>
public static class CallerContext
{
    private const string Key = "platform.caller";
    private const string TenantKey = "platform.tenant";

    public static Caller Current => RequestContext.Get(Key) as Caller ?? Caller.Anonymous;

    public static string Actor => Current.Actor;

    public static void Set(Caller caller) => RequestContext.Set(Key, caller);

    /// <summary>Makes the following calls as <paramref name="caller"/> (the platform's own follow-up calls), and restores the caller on dispose.</summary>
    public static IDisposable As(Caller caller)
    {
        var previous = Current;
        Set(caller);
        return new Restore(previous);
    }

    private sealed class Restore(Caller previous) : IDisposable
    {
        public void Dispose() => Set(previous);
    }

    /// <summary>The tenant the gateway resolved for the request (null when none): a CBS code or an organisation id.</summary>
    public static string? Tenant => RequestContext.Get(TenantKey) as string;

    public static void SetTenant(string? tenant)
    {
        if (tenant is null) RequestContext.Remove(TenantKey);
        else RequestContext.Set(TenantKey, tenant);
    }
}
