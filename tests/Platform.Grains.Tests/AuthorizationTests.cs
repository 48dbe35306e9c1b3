using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Tariffs;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;

namespace Platform.Grains.Tests;

/// <summary>The grains check the caller themselves: a call that skips the gateway is refused all the same.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AuthorizationTests(ClusterFixture fixture)
{
    private static readonly DateOnly Census = new(2024, 1, 1);

    private async Task<IArrangementGrain> ArrangementWithMemberAsync(string id, string member)
    {
        CallerContext.Set(ClusterFixture.Operator);
        await fixture.Grains.GetGrain<IMunicipalityGrain>(member).OnboardAsync(new($"M {member}", 10_000, Census));
        var grain = fixture.Grains.GetGrain<IArrangementGrain>(id);
        await grain.CreateAsync(new("Regeling", null, [new("bouwpuin", "Bouwpuin")], VoteWeightRule.OnePerMember, await fixture.ExecutorAsync("uitvoerder")));
        await grain.AddMemberAsync(new(member));
        return grain;
    }

    public static TheoryData<string> NotOperators() => new() { "anonymous", "citizen", "admin", "partner" };

    public static TheoryData<string> NotStewards() => new() { "anonymous", "citizen", "partner" };

    private static Caller Make(string kind, string organisation) => kind switch
    {
        "anonymous" => Caller.Anonymous,
        "citizen" => ClusterFixture.CitizenOf(organisation),
        "admin" => ClusterFixture.AdminOf(organisation),
        _ => new Caller(CallerKind.Partner, "partner-x", organisation, [], Scopes.Partner),
    };

    [Theory]
    [MemberData(nameof(NotOperators))]
    public async Task Only_an_operator_onboards(string kind)
    {
        CallerContext.Set(Make(kind, "GM0500"));

        var onboard = await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0500").OnboardAsync(new("X", 1, Census));

        var expected = kind == "anonymous" ? ViolationCodes.Unauthenticated : ViolationCodes.Forbidden;
        Assert.Equal(expected, Assert.Single(onboard.Errors).Code);
        CallerContext.Set(ClusterFixture.Operator);
        Assert.Null(await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0500").GetAsync());
    }

    [Theory]
    [MemberData(nameof(NotStewards))]
    public async Task Only_an_operator_or_a_municipalitys_admin_or_contract_manager_sets_up_an_arrangement(string kind)
    {
        CallerContext.Set(Make(kind, "GM0500"));

        var create = await fixture.Grains.GetGrain<IArrangementGrain>($"authz-{kind}").CreateAsync(new("X", "Y", [], VoteWeightRule.OnePerMember));

        var expected = kind == "anonymous" ? ViolationCodes.Unauthenticated : ViolationCodes.Forbidden;
        Assert.Equal(expected, Assert.Single(create.Errors).Code);
        CallerContext.Set(ClusterFixture.Operator);
        Assert.Null(await fixture.Grains.GetGrain<IArrangementGrain>($"authz-{kind}").GetAsync());
    }

    [Fact]
    public async Task A_contract_manager_sets_up_an_arrangement_with_their_municipality_as_its_first_member_and_only_if_it_was_onboarded()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0526").OnboardAsync(new("M GM0526", 12_000, Census));
        var executor = await fixture.ExecutorAsync("exec-founder");

        CallerContext.Set(ClusterFixture.ManagerOf("GM0526"));
        var created = await fixture.Grains.GetGrain<IArrangementGrain>("authz-founder").CreateAsync(new("Samen", null, [new("bouwpuin", "Bouwpuin")], VoteWeightRule.OnePerMember, executor));
        CallerContext.Set(ClusterFixture.ManagerOf("GM0527"));
        var unknown = await fixture.Grains.GetGrain<IArrangementGrain>("authz-founder-2").CreateAsync(new("Samen", null, [new("bouwpuin", "Bouwpuin")], VoteWeightRule.OnePerMember, executor));

        Assert.True(created.Succeeded);
        var member = Assert.Single((await fixture.Grains.GetGrain<IArrangementGrain>("authz-founder").GetAsync())!.Members);
        Assert.Equal(("GM0526", 12_000), (member.MunicipalityCode, member.Inhabitants));
        Assert.Equal(ViolationCodes.NotFound, Assert.Single(unknown.Errors).Code);
        Assert.Null(await fixture.Grains.GetGrain<IArrangementGrain>("authz-founder-2").GetAsync());
    }

    [Fact]
    public async Task The_admin_of_a_member_admits_a_member_but_the_admin_of_another_municipality_cannot()
    {
        var grain = await ArrangementWithMemberAsync("authz-members", "GM0501");
        CallerContext.Set(ClusterFixture.Operator); // a caller set inside an awaited method does not flow back
        await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0502").OnboardAsync(new("M GM0502", 5_000, Census));
        await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0503").OnboardAsync(new("M GM0503", 5_000, Census));

        CallerContext.Set(ClusterFixture.AdminOf("GM0999"));
        var outsider = await grain.AddMemberAsync(new("GM0502"));
        CallerContext.Set(ClusterFixture.AdminOf("GM0501"));
        var insider = await grain.AddMemberAsync(new("GM0503"));

        Assert.Equal(ViolationCodes.Forbidden, Assert.Single(outsider.Errors).Code);
        Assert.True(insider.Succeeded);
        Assert.Equal(["GM0501", "GM0503"], (await grain.GetAsync())!.Members.Select(m => m.MunicipalityCode));
    }

    [Fact]
    public async Task A_contract_manager_of_a_member_publishes_tariffs_and_a_citizen_cannot()
    {
        var grain = await ArrangementWithMemberAsync("authz-tariffs", "GM0504");
        var schedule = new PublishTariffSchedule([new("bouwpuin", 35m, "EUR", 0.5m, "m³", new(2025, 1, 1), null, "AB-1")]);

        CallerContext.Set(ClusterFixture.CitizenOf("GM0504"));
        var citizen = await grain.PublishTariffScheduleAsync(schedule);
        CallerContext.Set(ClusterFixture.ManagerOf("GM0504"));
        var manager = await grain.PublishTariffScheduleAsync(schedule);

        Assert.Equal(ViolationCodes.Forbidden, Assert.Single(citizen.Errors).Code);
        Assert.True(manager.Succeeded);
        var history = (await grain.GetAsync())!.History;
        Assert.Equal("manager@GM0504", history[^1].Actor);
    }
}
