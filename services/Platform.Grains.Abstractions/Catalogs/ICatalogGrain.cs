using Orleans.Concurrency;
namespace Platform.Grains.Catalogs;

/// <summary>
/// The ordered list of ids of one kind of aggregate, for paging through all of them.
/// Keys: <see cref="CatalogNames"/>.
/// </summary>
[Alias("Platform.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(string id);

    /// <summary>Up to <paramref name="first"/> ids after the id <paramref name="after"/> (exclusive), in ordinal order.</summary>
    [Alias("Page"), ReadOnly]
    Task<CatalogPage> PageAsync(string? after, int first);
}

[GenerateSerializer, Immutable]
public sealed record CatalogPage(
    [property: Id(0)] IReadOnlyList<string> Ids,
    [property: Id(1)] bool HasNextPage,
    [property: Id(2)] int TotalCount);

public static class CatalogNames
{
    public const string Municipalities = "municipalities";

    /// <summary>Every registered organisation (municipalities and executing organisations).</summary>
    public const string Organisations = "organisations";

    public const string ExecutingOrganisations = "executing-organisations";
    public const string Arrangements = "arrangements";
}
