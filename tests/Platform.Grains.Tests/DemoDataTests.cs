using Platform.Domain.Access;
using Platform.Domain.Performance;
using Platform.Grains.Performance;
using Platform.Domain.Tariffs;
using Platform.Grains.Arrangements;
using Platform.Grains.DemoData;
using Platform.Grains.Municipalities;

namespace Platform.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DemoDataTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Seeding_twice_changes_nothing_the_second_time()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await DemoDataSeeder.SeedAsync(fixture.Grains, ClusterFixture.Clock);
        var before = await fixture.Grains.GetGrain<IArrangementGrain>(DemoDataSet.WasteArrangementId).GetAsync();

        var changes = await DemoDataSeeder.SeedAsync(fixture.Grains, ClusterFixture.Clock);

        Assert.Equal(0, changes);
        var after = await fixture.Grains.GetGrain<IArrangementGrain>(DemoDataSet.WasteArrangementId).GetAsync();
        Assert.Equal(before!.History.Count, after!.History.Count);
        Assert.Equal(before.Members.Count, after.Members.Count);
    }

    [Fact]
    public async Task The_waste_arrangement_charges_35_euros_per_half_cubic_metre_of_debris()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await DemoDataSeeder.SeedAsync(fixture.Grains, ClusterFixture.Clock);
        var waste = await fixture.Grains.GetGrain<IArrangementGrain>(DemoDataSet.WasteArrangementId).GetAsync();

        var debris = TariffSchedule.On(waste!.Tariffs, DemoDataSet.DebrisServiceCode, new DateOnly(2026, 11, 28));

        Assert.Equal((35.00m, "per 0.5 m³"), (debris!.Amount, debris.Unit));
        Assert.InRange(waste.Members.Count, 8, 12);
    }

    [Fact]
    public async Task The_waste_arrangement_has_provisional_indicators_and_last_months_deviation()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await DemoDataSeeder.SeedAsync(fixture.Grains, ClusterFixture.Clock);

        CallerContext.Set(ClusterFixture.ManagerOf("GM0420"));
        var agreement = (await fixture.Grains.GetGrain<IPerformanceAgreementGrain>(DemoDataSet.WasteArrangementId).ViewAsync()).Agreement!;

        Assert.Equal(AgreementStatus.Provisional, agreement.Status);
        Assert.Equal(["Bereikbaarheid", "Leefbaarheid", "Dienstverlening"], agreement.Indicators.Select(i => i.Goal));
        var figure = Assert.Single(agreement.Figures);
        Assert.True(figure.Deviation); // 97.4 % against at least 98 %
        Assert.Equal(PerformanceRules.NameOf(ReportingPeriod.Month, new DateOnly(agreement.Indicators[0].AppliesFrom.Year, agreement.Indicators[0].AppliesFrom.Month, 1).AddMonths(2)), figure.Period);
    }

    [Fact]
    public async Task The_two_demo_arrangements_have_different_members()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await DemoDataSeeder.SeedAsync(fixture.Grains, ClusterFixture.Clock);
        var waste = await fixture.Grains.GetGrain<IArrangementGrain>(DemoDataSet.WasteArrangementId).GetAsync();
        var gritting = await fixture.Grains.GetGrain<IArrangementGrain>(DemoDataSet.GrittingArrangementId).GetAsync();

        Assert.Empty(waste!.Members.Select(m => m.MunicipalityCode).Intersect(gritting!.Members.Select(m => m.MunicipalityCode)));
        var amsterdam = await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0363").GetAsync();
        Assert.Equal([DemoDataSet.GrittingArrangementId], amsterdam!.ArrangementIds);
    }
}
