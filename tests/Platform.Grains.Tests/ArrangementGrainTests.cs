using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Tariffs;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;

namespace Platform.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ArrangementGrainTests(ClusterFixture fixture)
{
    private static readonly DateOnly Census = new(2024, 1, 1);

    private static CreateArrangement Waste(string name = "Afval Twente") =>
        new(name, null, [new("bouwpuin", "Construction debris"), new("grofvuil", "Bulky waste")], VoteWeightRule.PerInhabitants(10_000), "twente-milieu");

    private static TariffVersion Debris(decimal amount, DateOnly from, DateOnly? to) =>
        new("bouwpuin", amount, "EUR", 0.5m, "m³", from, to, "AB-1");

    private async Task<IArrangementGrain> CreateAsync(string id)
    {
        var grain = fixture.Grains.GetGrain<IArrangementGrain>(id);
        await fixture.ExecutorAsync("twente-milieu");
        Assert.True((await grain.CreateAsync(Waste())).Succeeded);
        return grain;
    }

    private async Task<string> OnboardAsync(string code, int inhabitants)
    {
        await fixture.Grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Municipality {code}", inhabitants, Census));
        return code;
    }

    [Fact]
    public async Task A_member_carries_its_weight_basis_and_the_municipality_learns_of_it()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var arrangement = await CreateAsync("twente-1");
        var code = await OnboardAsync("GM0153", 162_000);

        var result = await arrangement.AddMemberAsync(new(code));

        Assert.True(result.Succeeded);
        var member = Assert.Single((await arrangement.GetAsync())!.Members);
        Assert.Equal((code, 162_000, Census, 17), (member.MunicipalityCode, member.Inhabitants, member.InhabitantsReferenceDate, member.Weight));
        var municipality = await fixture.Grains.GetGrain<IMunicipalityGrain>(code).GetAsync();
        Assert.Contains("twente-1", municipality!.ArrangementIds);
    }

    [Fact]
    public async Task A_read_naming_the_version_held_gets_no_snapshot_until_the_arrangement_changes()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var arrangement = await CreateAsync("twente-versions");

        var first = await arrangement.GetIfChangedAsync(null);
        var unchanged = await arrangement.GetIfChangedAsync(first.Version);
        var stale = await arrangement.GetIfChangedAsync("an older version");
        await arrangement.AddMemberAsync(new(await OnboardAsync("GM0164", 98_000)));
        var changed = await arrangement.GetIfChangedAsync(first.Version);

        Assert.True(first.Exists);
        Assert.NotNull(first.Version);
        Assert.Empty(first.Value!.Members);
        Assert.Equal((true, first.Version, (ArrangementSnapshot?)null), (unchanged.Exists, unchanged.Version, unchanged.Value));
        Assert.Equal((first.Version, first.Value.Name), (stale.Version, stale.Value!.Name));
        Assert.NotEqual(first.Version, changed.Version);
        Assert.Equal("GM0164", Assert.Single(changed.Value!.Members).MunicipalityCode);
        Assert.Equal(changed.Value.Members, (await arrangement.GetAsync())!.Members);
        var none = await fixture.Grains.GetGrain<IArrangementGrain>("twente-none").GetIfChangedAsync(first.Version);
        Assert.Equal((false, (string?)null, (ArrangementSnapshot?)null), (none.Exists, none.Version, none.Value));
    }

    [Fact]
    public async Task A_member_added_twice_is_refused_and_listed_once()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var arrangement = await CreateAsync("twente-2");
        var code = await OnboardAsync("GM0158", 51_000);
        await arrangement.AddMemberAsync(new(code));

        var again = await arrangement.AddMemberAsync(new(code.ToLowerInvariant()));

        Assert.Equal(ViolationCodes.Duplicate, Assert.Single(again.Errors).Code);
        Assert.Single((await arrangement.GetAsync())!.Members);
    }

    [Fact]
    public async Task A_municipality_that_was_never_onboarded_cannot_join()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var arrangement = await CreateAsync("twente-3");

        var result = await arrangement.AddMemberAsync(new("GM9999"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("municipalityCode", ViolationCodes.NotFound), (error.Field, error.Code));
        Assert.Empty((await arrangement.GetAsync())!.Members);
    }

    [Fact]
    public async Task Commands_on_an_unknown_arrangement_are_refused_without_creating_it()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var grain = fixture.Grains.GetGrain<IArrangementGrain>("does-not-exist");

        var member = await grain.AddMemberAsync(new("GM0363"));
        var tariffs = await grain.PublishTariffScheduleAsync(new([Debris(35m, new(2025, 1, 1), null)]));

        Assert.Equal(ViolationCodes.NotFound, Assert.Single(member.Errors).Code);
        Assert.Equal(ViolationCodes.NotFound, Assert.Single(tariffs.Errors).Code);
        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task Creating_an_existing_arrangement_is_refused_and_keeps_the_first()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var grain = await CreateAsync("twente-4");

        var again = await grain.CreateAsync(Waste("Another name"));

        Assert.Equal(ViolationCodes.AlreadyExists, Assert.Single(again.Errors).Code);
        Assert.Equal("Afval Twente", (await grain.GetAsync())!.Name);
    }

    [Fact]
    public async Task The_published_schedule_keeps_every_version_with_its_decision()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var grain = await CreateAsync("twente-5");

        var result = await grain.PublishTariffScheduleAsync(new([Debris(30m, new(2023, 1, 1), new(2024, 12, 31)), Debris(35m, new(2025, 1, 1), null)]));

        Assert.True(result.Succeeded);
        var snapshot = (await grain.GetAsync())!;
        Assert.Equal([30m, 35m], TariffSchedule.History(snapshot.Tariffs, "bouwpuin").Select(t => t.Amount));
        Assert.All(snapshot.Tariffs, t => Assert.Equal("AB-1", t.DecidedBy));
        Assert.Contains(snapshot.History, h => h.Action == "tariff-schedule-published" && h.Detail.Contains("bouwpuin EUR 35.00 per 0.5 m³"));
    }

    [Fact]
    public async Task An_overlapping_schedule_is_refused_whole()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var grain = await CreateAsync("twente-6");

        var result = await grain.PublishTariffScheduleAsync(new([Debris(30m, new(2023, 1, 1), null), Debris(35m, new(2025, 1, 1), null)]));

        Assert.Equal(ViolationCodes.Overlap, Assert.Single(result.Errors).Code);
        Assert.Empty((await grain.GetAsync())!.Tariffs);
    }

    [Fact]
    public async Task A_second_publication_is_refused_because_changes_go_through_the_Board()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var grain = await CreateAsync("twente-7");
        await grain.PublishTariffScheduleAsync(new([Debris(35m, new(2025, 1, 1), null)]));

        var again = await grain.PublishTariffScheduleAsync(new([Debris(20m, new(2020, 1, 1), new(2020, 12, 31))]));

        Assert.Equal(ViolationCodes.AlreadyPublished, Assert.Single(again.Errors).Code);
        Assert.Equal(35m, Assert.Single((await grain.GetAsync())!.Tariffs).Amount);
    }
}
