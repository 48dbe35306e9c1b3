namespace Platform.MultiTenancy;

/// <summary>AsyncLocal, so that the tenant follows the request through every await.</summary>
public sealed class MultiTenantContextAccessor : IMultiTenantContextAccessor, IMultiTenantContextSetter
{
    private static readonly AsyncLocal<MultiTenantContext?> Current = new();

    public MultiTenantContext MultiTenantContext
    {
        get => Current.Value ?? MultiTenantContext.Empty;
        set => Current.Value = value;
    }
}
