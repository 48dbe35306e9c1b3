using Platform.Domain.Access;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;
using Platform.Grains.Catalogs;
using Platform.Grains.Municipalities;

namespace Platform.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MunicipalityGrainTests(ClusterFixture fixture)
{
    private static readonly DateOnly Census = new(2024, 1, 1);

    [Fact]
    public async Task An_onboarded_municipality_keeps_its_profile_and_history()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var grain = fixture.Grains.GetGrain<IMunicipalityGrain>("GM0014");

        var result = await grain.OnboardAsync(new("Groningen", 243_000, Census));
        var snapshot = await grain.GetAsync();

        Assert.True(result.Succeeded);
        Assert.NotNull(snapshot);
        Assert.Equal(("GM0014", "Groningen", 243_000, Census), (snapshot.Code, snapshot.Name, snapshot.Inhabitants, snapshot.InhabitantsReferenceDate));
        var entry = Assert.Single(snapshot.History);
        Assert.Equal("onboarded", entry.Action);
        Assert.Equal(ClusterFixture.Operator.Subject, entry.Actor);
    }

    [Fact]
    public async Task A_read_naming_the_version_held_gets_no_snapshot_until_the_municipality_changes()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var grain = fixture.Grains.GetGrain<IMunicipalityGrain>("GM0200");
        await grain.OnboardAsync(new("Apeldoorn", 165_000, Census));

        var first = await grain.GetIfChangedAsync(null);
        var unchanged = await grain.GetIfChangedAsync(first.Version);
        var stale = await grain.GetIfChangedAsync("an older version");
        CallerContext.Set(ClusterFixture.AdminOf("GM0200"));
        Assert.True((await grain.SetPortalThemeAsync("utrecht")).Succeeded);
        var changed = await grain.GetIfChangedAsync(first.Version);
        var none = await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0202").GetIfChangedAsync(first.Version);

        Assert.True(first.Exists);
        Assert.NotNull(first.Version);
        Assert.Equal(("Apeldoorn", PortalThemes.Neutral), (first.Value!.Name, first.Value.PortalTheme));
        Assert.Equal((true, first.Version, (MunicipalitySnapshot?)null), (unchanged.Exists, unchanged.Version, unchanged.Value));
        Assert.Equal((first.Version, "Apeldoorn"), (stale.Version, stale.Value!.Name));
        Assert.NotEqual(first.Version, changed.Version);
        Assert.Equal("utrecht", changed.Value!.PortalTheme);
        Assert.Equal(changed.Value.PortalTheme, (await grain.GetAsync())!.PortalTheme);
        Assert.Equal((false, (string?)null, (MunicipalitySnapshot?)null), (none.Exists, none.Version, none.Value));
    }

    [Fact]
    public async Task Onboarding_the_same_code_twice_is_refused_and_keeps_the_first()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var grain = fixture.Grains.GetGrain<IMunicipalityGrain>("GM0034");
        await grain.OnboardAsync(new("Almere", 226_000, Census));

        var second = await grain.OnboardAsync(new("Almere-Stad", 1, Census));

        Assert.Equal(ViolationCodes.AlreadyExists, Assert.Single(second.Errors).Code);
        var snapshot = await grain.GetAsync();
        Assert.Equal(("Almere", 226_000), (snapshot!.Name, snapshot.Inhabitants));
        Assert.Single(snapshot.History);
    }

    [Fact]
    public async Task An_invalid_profile_stores_nothing()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var grain = fixture.Grains.GetGrain<IMunicipalityGrain>("GM0080");

        var result = await grain.OnboardAsync(new("", -5, null));

        Assert.Equal(["name", "inhabitants", "inhabitantsReferenceDate"], result.Errors.Select(e => e.Field));
        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task An_onboarded_municipality_is_listed_in_the_catalog()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0193").OnboardAsync(new("Zwolle", 132_000, Census));

        var ids = new List<string>();
        string? after = null;
        CatalogPage page;
        do
        {
            page = await fixture.Grains.GetGrain<ICatalogGrain>(CatalogNames.Municipalities).PageAsync(after, 2);
            ids.AddRange(page.Ids);
            after = page.Ids.LastOrDefault();
        } while (page.HasNextPage);

        Assert.Contains("GM0193", ids);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
