namespace Platform.MultiTenancy.Stores;

/// <summary>A fixed list of tenants, for tests and for organisations known from configuration.</summary>
public sealed class InMemoryStore(IEnumerable<TenantInfo> tenants) : IMultiTenantStore
{
    private readonly Dictionary<string, TenantInfo> byIdentifier = tenants.ToDictionary(t => t.Identifier, StringComparer.OrdinalIgnoreCase);

    public string Name => "in-memory";

    public Task<TenantInfo?> GetByIdentifierAsync(string identifier) => Task.FromResult(byIdentifier.GetValueOrDefault(identifier));

    public Task<TenantInfo?> GetAsync(string id) => Task.FromResult(byIdentifier.Values.FirstOrDefault(t => t.Id == id));
}
