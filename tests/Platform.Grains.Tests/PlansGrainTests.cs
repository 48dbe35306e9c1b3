using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Plans;
using Platform.Domain.Proposals;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;
using Platform.Grains.Plans;
using Platform.Grains.Proposals;

namespace Platform.Grains.Tests;

/// <summary>
/// The executing organisation drafts its plan in versions and proposes it; the proposal carries the latest version, the
/// plan is fixed from then on and follows the vote. Members and strangers draft nothing; strangers read nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PlansGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_plan_is_drafted_in_versions_proposed_once_fixed_and_adopted_by_the_members_vote()
    {
        const string id = "plannen-west";
        CallerContext.Set(ClusterFixture.Operator);
        var executor = await fixture.ExecutorAsync("exec-plannen");
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>(id);
        Assert.True((await arrangement.CreateAsync(new("Gladheid West", "Strooidienst West", [new("strooien", "Strooien")], VoteWeightRule.OnePerMember, executor))).Succeeded);
        string[] members = ["GM4700", "GM4701"];
        foreach (var code in members)
        {
            CallerContext.Set(ClusterFixture.Operator);
            await fixture.Grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Gemeente {code}", 20_000, new(2024, 1, 1)));
            Assert.True((await arrangement.AddMemberAsync(new(code))).Succeeded);
        }
        var plans = fixture.Grains.GetGrain<IPlansGrain>(id);

        // Members and other organisations draft nothing; a missing field is named; nothing is stored by any of them.
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        Assert.True((await plans.SaveDraftAsync(null, new("Plan", "winter", "Tekst", null))).IsRefusal);
        CallerContext.Set(ClusterFixture.ExecutorOf("exec-andere"));
        Assert.True((await plans.SaveDraftAsync(null, new("Plan", "winter", "Tekst", null))).IsRefusal);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.Equal(["period"], (await plans.SaveDraftAsync(null, new("Plan", " ", "Tekst", null))).Errors.Select(e => e.Field));
        Assert.Empty((await plans.ViewAsync()).Plans!.Plans);

        // Drafted, changed, saved again unchanged: two versions; a plan number that does not exist is named.
        var first = await plans.SaveDraftAsync(null, new("Gladheidsplan", "winter 2026-2027", "Hoofdroutes voor 07:00.", null));
        Assert.Equal(PlanKeys.Of(id, 1), first.Id);
        Assert.True((await plans.SaveDraftAsync(1, new("Gladheidsplan", "winter 2026-2027", "Hoofdroutes voor 06:30; buffer 1.400 ton.", "Na het zouttekort"))).Succeeded);
        Assert.True((await plans.SaveDraftAsync(1, new("Gladheidsplan", "winter 2026-2027", "Hoofdroutes voor 06:30; buffer 1.400 ton.", null))).Succeeded);
        Assert.Equal(("number", ViolationCodes.NotFound), (await plans.SaveDraftAsync(7, new("X", "Y", "Z", null))).Errors.Select(e => (e.Field, e.Code)).Single());
        var drafted = Assert.Single((await plans.ViewAsync()).Plans!.Plans);
        Assert.Equal((PlanStatus.Draft, 2, true), (drafted.Status, drafted.Plan.Versions.Count, drafted.ViewerCanEdit));

        // A member reads it but may not edit; a resident and a stranger see nothing.
        CallerContext.Set(ClusterFixture.ManagerOf(members[1]));
        var seen = (await plans.ViewAsync()).Plans!;
        Assert.Equal((false, false), (seen.ViewerCanDraft, seen.Plans[0].ViewerCanEdit));
        CallerContext.Set(ClusterFixture.CitizenOf(members[1]));
        Assert.Null((await plans.ViewAsync()).Plans);
        CallerContext.Set(ClusterFixture.ManagerOf("GM4599"));
        Assert.Null((await plans.ViewAsync()).Plans);

        // Proposed by the executing organisation: the proposal carries the latest version; then the plan is fixed.
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        Assert.True((await plans.ProposeAsync(1, "Vaststellen", null)).IsRefusal);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.Equal(("motivation", ViolationCodes.Required), (await plans.ProposeAsync(1, " ", null)).Errors.Select(e => (e.Field, e.Code)).Single());
        Assert.True((await plans.ProposeAsync(1, "Na het zouttekort: een grotere buffer.", null)).Succeeded);
        Assert.Equal(ViolationCodes.AlreadyExists, Assert.Single((await plans.ProposeAsync(1, "Nog eens", null)).Errors).Code);
        Assert.Equal(ViolationCodes.IllegalTransition, Assert.Single((await plans.SaveDraftAsync(1, new("Gladheidsplan", "winter 2026-2027", "Toch anders.", null))).Errors).Code);
        var proposal = fixture.Grains.GetGrain<IProposalGrain>(PlansGrain.ProposalKeyOf(id, 1));
        var made = (await proposal.GetAsync())!;
        Assert.Equal((ProposalKind.PlanAdoption, "Gladheidsplan (winter 2026-2027)", "Hoofdroutes voor 06:30; buffer 1.400 ton.", executor),
            (made.Change.Kind, made.Change.Title, made.Change.Text, made.ProposerMunicipality));
        var proposed = Assert.Single((await plans.ViewAsync()).Plans!.Plans);
        Assert.Equal((PlanStatus.Proposed, false, made.Id), (proposed.Status, proposed.ViewerCanEdit, proposed.Plan.ProposalId));

        // The councils speak and both members vote yes: the plan is adopted.
        foreach (var code in members)
        {
            CallerContext.Set(ClusterFixture.AdminOf(code));
            Assert.True((await proposal.SubmitOpinionAsync("Akkoord.")).Succeeded);
        }
        foreach (var code in members)
        {
            CallerContext.Set(ProposalGrainTests.BoardOf(code));
            Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes)).Succeeded);
        }
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.Equal(PlanStatus.Adopted, Assert.Single((await plans.ViewAsync()).Plans!.Plans).Status);
    }

    [Fact]
    public async Task A_proposal_made_before_a_crash_is_found_again_and_the_plan_marked_not_proposed_twice()
    {
        const string id = "plannen-crash";
        CallerContext.Set(ClusterFixture.Operator);
        var executor = await fixture.ExecutorAsync("exec-plannen-crash");
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>(id);
        Assert.True((await arrangement.CreateAsync(new("Afval Oost", "Afvaldienst Oost", [new("restafval", "Restafval")], VoteWeightRule.OnePerMember, executor))).Succeeded);
        await fixture.Grains.GetGrain<IMunicipalityGrain>("GM4702").OnboardAsync(new("Gemeente GM4702", 20_000, new(2024, 1, 1)));
        Assert.True((await arrangement.AddMemberAsync(new("GM4702"))).Succeeded);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        var plans = fixture.Grains.GetGrain<IPlansGrain>(id);
        Assert.True((await plans.SaveDraftAsync(null, new("Inzamelplan", "2027", "Elke week restafval.", null))).Succeeded);

        // The proposal exists (made by the plan's first attempt) but the plan was never marked.
        var proposal = fixture.Grains.GetGrain<IProposalGrain>(PlansGrain.ProposalKeyOf(id, 1));
        Assert.True((await proposal.ProposeAsync(new(id, new(ProposalKind.PlanAdoption, "Inzamelplan (2027)", "Eerste poging", "Elke week restafval.", null, null, null), null))).Succeeded);
        Assert.True((await plans.ProposeAsync(1, "Tweede poging", null)).Succeeded);

        var plan = Assert.Single((await plans.ViewAsync()).Plans!.Plans);
        Assert.Equal(proposal.GetPrimaryKeyString(), plan.Plan.ProposalId);
        Assert.Equal("Eerste poging", (await proposal.GetAsync())!.Change.Motivation);
    }
}
