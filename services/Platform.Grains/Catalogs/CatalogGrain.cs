namespace Platform.Grains.Catalogs;

[GenerateSerializer]
public sealed class CatalogState
{
    [Id(0)] public SortedSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One grain per kind holds all ids. Fine for the few hundred municipalities of the Netherlands and
/// their arrangements; lists that need filtering come from the read model.
/// </summary>
public sealed class CatalogGrain(
    [PersistentState("catalog", StorageNames.Grains)] IPersistentState<CatalogState> state) : Grain, ICatalogGrain, PublicData.IPublicState
{
    /// <summary>Public: a stored change is announced to the gateways (see <see cref="PublicData.PublicDataChanges"/>).</summary>
    string? PublicData.IPublicState.StateVersion => state.Etag;

    public async Task AddAsync(string id)
    {
        if (state.State.Ids.Add(id)) await state.WriteStateAsync();
    }

    public Task<CatalogPage> PageAsync(string? after, int first)
    {
        var ids = state.State.Ids;
        var page = ids.Where(x => after is null || string.CompareOrdinal(x, after) > 0).Take(first + 1).ToList();
        var hasNext = page.Count > first;
        if (hasNext) page.RemoveAt(first);
        return Task.FromResult(new CatalogPage(page, hasNext, ids.Count));
    }
}
