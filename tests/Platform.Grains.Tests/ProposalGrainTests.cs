using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Calendar;
using Platform.Domain.Proposals;
using Platform.Domain.ServiceLevels;
using Platform.Domain.Tariffs;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;
using Platform.Grains.Proposals;

namespace Platform.Grains.Tests;

/// <summary>Proposals against the real grains and a clock the tests move (the closing reminder runs TickAsync).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProposalGrainTests(ClusterFixture fixture)
{
    private static readonly DateOnly Census = new(2024, 1, 1);

    public static Caller BoardOf(string code) => new(CallerKind.User, $"board@{code}", code, [Roles.BoardMember], []);

    /// <summary>An arrangement with <paramref name="members"/> members (codes from <paramref name="firstCode"/>), one vote each unless weighted.</summary>
    private async Task<(IArrangementGrain Arrangement, List<string> Members)> ArrangementAsync(string id, int firstCode, int members, VoteWeightRule? weights = null)
    {
        CallerContext.Set(ClusterFixture.Operator);
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>(id);
        Assert.True((await arrangement.CreateAsync(new("Regeling " + id, "Uitvoerder",
            [new("bouwpuin", "Bouwpuin"), new("grofvuil", "Grofvuil", new(2, 5, DayCounting.WorkingDays))], weights ?? VoteWeightRule.OnePerMember, await fixture.ExecutorAsync($"exec-{id}")))).Succeeded);
        var codes = Enumerable.Range(firstCode, members).Select(n => $"GM{n:0000}").ToList();
        await Task.WhenAll(codes.Select((code, i) => fixture.Grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Gemeente {code}", 10_000 * (i + 1), Census))));
        foreach (var code in codes) Assert.True((await arrangement.AddMemberAsync(new(code))).Succeeded);
        Assert.True((await arrangement.PublishTariffScheduleAsync(new([new("bouwpuin", 35m, TariffSchedule.Euro, 0.5m, "m³", new(2025, 1, 1), null, "AB-2024-11")]))).Succeeded);
        return (arrangement, codes);
    }

    private static DateOnly Today => ClusterFixture.Clock.TodayInAmsterdam();

    private static ProposedChange LowerDebris(DateOnly? effective = null) =>
        new(ProposalKind.TariffChange, "Debris EUR 20", "Illegal dumping", null, effective ?? Today.AddDays(30), new("bouwpuin", 20m, 0.5m, "m³"), null);

    private async Task<IProposalGrain> ProposeAsync(string id, string arrangementId, string by, ProposedChange? change = null)
    {
        CallerContext.Set(BoardOf(by));
        var proposal = fixture.Grains.GetGrain<IProposalGrain>(id);
        var result = await proposal.ProposeAsync(new(arrangementId, change ?? LowerDebris(), null));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return proposal;
    }

    private static async Task<CommandResult> VoteAsync(IProposalGrain proposal, Caller caller, VoteChoice choice)
    {
        CallerContext.Set(caller);
        return await proposal.CastVoteAsync(choice);
    }

    [Fact]
    public async Task One_hundred_concurrent_votes_give_an_exact_tally()
    {
        var (_, members) = await ArrangementAsync("prop-storm", 3000, 100);
        var proposal = await ProposeAsync("p-storm", "prop-storm", members[0]);

        // Member i votes yes when i % 3 == 0, no when i % 3 == 1, abstains otherwise; all at once.
        var results = await Task.WhenAll(members.Select((code, i) => Task.Run(async () =>
            await VoteAsync(proposal, BoardOf(code), (i % 3) switch { 0 => VoteChoice.Yes, 1 => VoteChoice.No, _ => VoteChoice.Abstain }))));

        Assert.All(results, r => Assert.True(r.Succeeded));
        var snapshot = (await proposal.GetAsync())!;
        Assert.Equal((34L, 33L, 33L, 0L), (snapshot.Tally.Yes, snapshot.Tally.No, snapshot.Tally.Abstain, snapshot.Tally.NotVoted));
        Assert.Equal(100, snapshot.Votes.Count);
        Assert.Equal(100, snapshot.History.Count(h => h.Action == "vote-cast"));
    }

    [Fact]
    public async Task A_member_whose_membership_ended_proposes_and_votes_no_more_and_a_past_last_day_is_refused()
    {
        var (arrangement, members) = await ArrangementAsync("prop-leave", 3200, 2);
        CallerContext.Set(ClusterFixture.Operator);
        Assert.True((await arrangement.EndMembershipAsync(new(members[1], Today.AddDays(2)))).Succeeded);
        var during = await ProposeAsync("p-leave-1", "prop-leave", members[0]);
        Assert.Equal(members, (await during.GetAsync())!.Ballots.Select(v => v.MunicipalityCode));

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(3));
        var after = await ProposeAsync("p-leave-2", "prop-leave", members[0]);
        Assert.Equal([members[0]], (await after.GetAsync())!.Ballots.Select(v => v.MunicipalityCode));
        CallerContext.Set(BoardOf(members[1]));
        var byLeaver = await fixture.Grains.GetGrain<IProposalGrain>("p-leave-3").ProposeAsync(new("prop-leave", LowerDebris(), null));
        Assert.Equal(ViolationCodes.Forbidden, byLeaver.Errors.Single().Code);

        CallerContext.Set(ClusterFixture.Operator);
        var past = await arrangement.EndMembershipAsync(new(members[0], Today.AddDays(-1)));
        Assert.Equal("lastDay", past.Errors.Single().Field);
        Assert.Null((await arrangement.GetAsync())!.Members.Single(m => m.MunicipalityCode == members[0]).LastDay);
    }

    [Fact]
    public async Task A_non_member_staff_without_the_board_role_and_early_or_late_votes_are_refused_and_change_nothing()
    {
        var (_, members) = await ArrangementAsync("prop-refuse", 3100, 3);
        var proposal = await ProposeAsync("p-refuse", "prop-refuse", members[0]);
        Assert.True((await VoteAsync(proposal, BoardOf(members[1]), VoteChoice.Yes)).Succeeded);

        var outsider = await VoteAsync(proposal, BoardOf("GM3199"), VoteChoice.No);
        var manager = await VoteAsync(proposal, ClusterFixture.ManagerOf(members[2]), VoteChoice.No);
        var citizen = await VoteAsync(proposal, ClusterFixture.CitizenOf(members[2]), VoteChoice.No);
        var anonymous = await VoteAsync(proposal, Caller.Anonymous, VoteChoice.No);

        Assert.True(outsider.IsRefusal);
        Assert.Contains("GM3199 is not one of them", outsider.Errors[0].Message);
        Assert.True(manager.IsRefusal);
        Assert.Contains("board-member", manager.Errors[0].Message);
        Assert.True(citizen.IsRefusal);
        Assert.Equal(ViolationCodes.Unauthenticated, anonymous.Errors[0].Code);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(15));
        var late = await VoteAsync(proposal, BoardOf(members[2]), VoteChoice.No);
        Assert.Equal(ViolationCodes.Closed, Assert.Single(late.Errors).Code);

        var snapshot = (await proposal.GetAsync())!;
        Assert.Equal(["GM3101"], snapshot.Votes.Select(v => v.MunicipalityCode));
        Assert.Equal(ProposalPhase.Closed, snapshot.Phase);
    }

    [Fact]
    public async Task Councils_give_opinions_before_voting_opens_and_not_after()
    {
        var (_, members) = await ArrangementAsync("prop-opinion", 3200, 2);
        var plan = new ProposedChange(ProposalKind.PlanAdoption, "Gritting plan", "Winter is coming", "Grit main routes before 07:00.", null, null, null);
        var proposal = await ProposeAsync("p-opinion", "prop-opinion", members[0], plan);

        var early = await VoteAsync(proposal, BoardOf(members[0]), VoteChoice.Yes);
        CallerContext.Set(ClusterFixture.AdminOf(members[1]));
        var first = await proposal.SubmitOpinionAsync("We want cycle paths first.");
        var second = await proposal.SubmitOpinionAsync("We want cycle paths before 07:30.");
        var tooLong = await proposal.SubmitOpinionAsync(new string('x', ProposalRules.MaxOpinionLength + 1));
        CallerContext.Set(BoardOf(members[1]));
        var byBoard = await proposal.SubmitOpinionAsync("Not the council's way.");

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(28));
        CallerContext.Set(ClusterFixture.AdminOf(members[0]));
        var late = await proposal.SubmitOpinionAsync("Too late.");
        var open = await VoteAsync(proposal, BoardOf(members[0]), VoteChoice.Yes);

        Assert.Equal(ViolationCodes.NotOpen, Assert.Single(early.Errors).Code);
        Assert.True(first.Succeeded && second.Succeeded);
        Assert.True(byBoard.IsRefusal);
        Assert.Equal(("text", ViolationCodes.TooLong), (tooLong.Errors[0].Field, tooLong.Errors[0].Code));
        Assert.Equal(ViolationCodes.Closed, Assert.Single(late.Errors).Code);
        Assert.True(open.Succeeded);
        var snapshot = (await proposal.GetAsync())!;
        Assert.Equal("We want cycle paths before 07:30.", Assert.Single(snapshot.Opinions).Text);
        Assert.Equal(["opinion-submitted", "opinion-replaced"], snapshot.History.Where(h => h.Action.StartsWith("opinion")).Select(h => h.Action));
    }

    [Fact]
    public async Task A_changed_vote_counts_once_and_every_change_stays_in_the_history()
    {
        var (_, members) = await ArrangementAsync("prop-change", 3300, 2);
        var proposal = await ProposeAsync("p-change", "prop-change", members[0]);

        await VoteAsync(proposal, BoardOf(members[0]), VoteChoice.No);
        await VoteAsync(proposal, BoardOf(members[0]), VoteChoice.Yes);
        await VoteAsync(proposal, BoardOf(members[0]), VoteChoice.Yes); // the same vote again: nothing new

        var snapshot = (await proposal.GetAsync())!;
        Assert.Equal((1L, 0L), (snapshot.Tally.Yes, snapshot.Tally.No));
        Assert.Equal(1, Assert.Single(snapshot.Votes).Changes);
        Assert.Equal(["vote-cast", "vote-changed"], snapshot.History.Where(h => h.Action.StartsWith("vote")).Select(h => h.Action));
        Assert.Contains("No → Yes", snapshot.History[^1].Detail);
        Assert.Equal($"board-member@{members[0]}", snapshot.History[^1].Actor); // a role, not a person's address
    }

    [Fact]
    public async Task A_late_copy_of_a_vote_request_already_applied_changes_nothing()
    {
        var (_, members) = await ArrangementAsync("prop-late", 3350, 2);
        var proposal = await ProposeAsync("p-late", "prop-late", members[0]);
        CallerContext.Set(BoardOf(members[0]));

        // Request k1 (yes) is applied but its answer is lost; the retry applies nothing new; then k2 (no) is applied;
        // then the first copy of k1, held up somewhere, arrives at last.
        Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes, "k1")).Succeeded);
        Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes, "k1")).Succeeded);
        Assert.True((await proposal.CastVoteAsync(VoteChoice.No, "k2")).Succeeded);
        Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes, "k1")).Succeeded);

        var snapshot = (await proposal.GetAsync())!;
        Assert.Equal(VoteChoice.No, Assert.Single(snapshot.Votes).Choice);
        Assert.Equal(["vote-cast", "vote-changed"], snapshot.History.Where(h => h.Action.StartsWith("vote")).Select(h => h.Action));
        // Without an operation id the same request is a new one: yes again counts.
        Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes)).Succeeded);
        Assert.Equal(VoteChoice.Yes, Assert.Single((await proposal.GetAsync())!.Votes).Choice);
    }

    [Fact]
    public async Task The_reminder_closes_on_the_moved_clock_and_the_tariff_takes_effect_from_its_date_only()
    {
        var (arrangement, members) = await ArrangementAsync("prop-close", 3400, 3);
        var effective = Today.AddDays(40);
        var proposal = await ProposeAsync("p-close", "prop-close", members[0], LowerDebris(effective));
        await VoteAsync(proposal, BoardOf(members[0]), VoteChoice.Yes);
        await VoteAsync(proposal, BoardOf(members[1]), VoteChoice.Yes);

        await proposal.TickAsync(); // before the deadline: nothing happens
        Assert.Null((await proposal.GetAsync())!.ClosedAt);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(14));
        await proposal.TickAsync();

        var snapshot = (await proposal.GetAsync())!;
        Assert.Equal(ProposalOutcome.Adopted, snapshot.Outcome);
        Assert.NotNull(snapshot.EffectAppliedAt);
        Assert.Equal(ProposalGrain.CloseActor, snapshot.History.Single(h => h.Action == "closed").Actor);
        var tariffs = (await arrangement.GetAsync())!.Tariffs;
        Assert.Equal(35m, TariffSchedule.On(tariffs, "bouwpuin", effective.AddDays(-1))!.Amount);
        var decided = TariffSchedule.On(tariffs, "bouwpuin", effective)!;
        Assert.Equal((20m, "p-close"), (decided.Amount, decided.DecidedBy));
    }

    [Fact]
    public async Task The_effect_happens_exactly_once_however_often_the_close_runs_and_after_a_crash_between_the_writes()
    {
        var (arrangement, members) = await ArrangementAsync("prop-once", 3500, 1);
        var effective = Today.AddDays(30);
        var proposal = await ProposeAsync("p-once", "prop-once", members[0], LowerDebris(effective));
        await VoteAsync(proposal, BoardOf(members[0]), VoteChoice.Yes);
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(15));

        // The arrangement already applied it, but the proposal did not record that (a silo died between the two writes).
        CallerContext.Set(Caller.System(ProposalGrain.CloseActor));
        var decision = new AdoptedDecision("p-once", ProposalKind.TariffChange, "Debris EUR 20", ClusterFixture.Clock.GetUtcNow(), effective, new("bouwpuin", 20m, 0.5m, "m³"), null);
        Assert.True((await arrangement.ApplyDecisionAsync(decision)).Succeeded);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => proposal.TickAsync()));
        await arrangement.ApplyDecisionAsync(decision);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await proposal.TickAsync();

        var snapshot = (await arrangement.GetAsync())!;
        Assert.Single(snapshot.Tariffs, t => t.DecidedBy == "p-once");
        Assert.Single(snapshot.Decisions!, d => d.ProposalId == "p-once");
        Assert.Single(snapshot.History, h => h.Action == "decision-applied");
        var proposalSnapshot = (await proposal.GetAsync())!;
        Assert.NotNull(proposalSnapshot.EffectAppliedAt);
        Assert.Single(proposalSnapshot.History, h => h.Action == "closed");
    }

    [Fact]
    public async Task Only_an_adopted_proposal_may_change_the_arrangement_directly()
    {
        var (arrangement, _) = await ArrangementAsync("prop-direct", 3550, 1);
        CallerContext.Set(ClusterFixture.Operator);

        var result = await arrangement.ApplyDecisionAsync(new("p-fake", ProposalKind.TariffChange, "Sneaky", DateTimeOffset.UtcNow, Today.AddDays(1), new("bouwpuin", 1m, 0.5m, "m³"), null));

        Assert.True(result.IsRefusal);
        Assert.DoesNotContain((await arrangement.GetAsync())!.Tariffs, t => t.DecidedBy == "p-fake");
    }

    [Fact]
    public async Task Without_the_quorum_the_outcome_is_no_quorum_and_nothing_changes()
    {
        var (arrangement, members) = await ArrangementAsync("prop-quorum", 3600, 4);
        var proposal = await ProposeAsync("p-quorum", "prop-quorum", members[0]);
        await VoteAsync(proposal, BoardOf(members[0]), VoteChoice.Yes); // 1 of 4 weight; the quorum is 1/2

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(14));
        await proposal.TickAsync();

        var snapshot = (await proposal.GetAsync())!;
        Assert.Equal(ProposalOutcome.NoQuorum, snapshot.Outcome);
        Assert.Null(snapshot.EffectAppliedAt);
        Assert.Empty((await arrangement.GetAsync())!.Decisions!);
    }

    [Fact]
    public async Task A_service_level_change_takes_effect_on_its_date_not_when_the_vote_closes()
    {
        var (arrangement, members) = await ArrangementAsync("prop-level", 3700, 1);
        var effective = Today.AddDays(20);
        var change = new ProposedChange(ProposalKind.ServiceLevelChange, "Faster bulky waste", "Residents wait too long", null, effective, null,
            new("grofvuil", new(1, 3, DayCounting.WorkingDays)));
        var proposal = await ProposeAsync("p-level", "prop-level", members[0], change);
        await VoteAsync(proposal, BoardOf(members[0]), VoteChoice.Yes);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(15));
        await proposal.TickAsync();
        var beforeDate = (await arrangement.GetAsync())!.Services.Single(s => s.Code == "grofvuil").ServiceLevel;
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(6));
        await proposal.TickAsync();
        var onDate = (await arrangement.GetAsync())!.Services.Single(s => s.Code == "grofvuil").ServiceLevel;

        Assert.Equal(5, beforeDate.DaysToResolve);
        Assert.Equal(3, onDate.DaysToResolve);
        Assert.Equal(ProposalOutcome.Adopted, (await proposal.GetAsync())!.Outcome);
    }

    [Fact]
    public async Task A_resident_supports_once_comments_and_staff_hide_a_comment_with_a_reason()
    {
        var (_, members) = await ArrangementAsync("prop-citizens", 3800, 2);
        var proposal = await ProposeAsync("p-citizens", "prop-citizens", members[0]);

        CallerContext.Set(ClusterFixture.CitizenOf(members[1]));
        var support = await proposal.SupportAsync();
        var again = await proposal.SupportAsync();
        var comment = await proposal.CommentAsync("Finally: I paid EUR 35 for a few tiles.");
        await proposal.CommentAsync("Call me on 06-12345678");
        CallerContext.Set(ClusterFixture.CitizenOf("GM3899"));
        var outsider = await proposal.SupportAsync();
        CallerContext.Set(ClusterFixture.CitizenOf(members[0]));
        var hideByCitizen = await proposal.HideCommentAsync(2, "personal data");
        CallerContext.Set(ClusterFixture.AdminOf(members[0]));
        var noReason = await proposal.HideCommentAsync(2, " ");
        var missing = await proposal.HideCommentAsync(9, "x");
        var hidden = await proposal.HideCommentAsync(2, "Contains a phone number (personal data).");

        Assert.True(support.Succeeded && comment.Succeeded && hidden.Succeeded);
        Assert.Equal(ViolationCodes.Duplicate, Assert.Single(again.Errors).Code);
        Assert.True(outsider.IsRefusal);
        Assert.True(hideByCitizen.IsRefusal);
        Assert.Equal(("reason", ViolationCodes.Required), (noReason.Errors[0].Field, noReason.Errors[0].Code));
        Assert.Equal(ViolationCodes.NotFound, missing.Errors[0].Code);
        CallerContext.Set(ClusterFixture.CitizenOf(members[1]));
        var snapshot = (await proposal.GetAsync())!;
        Assert.Equal(1, snapshot.SupportCount);
        Assert.True(snapshot.SupportedByViewer);
        Assert.Equal(("citizen", members[1]), (snapshot.Comments[0].AuthorRole, snapshot.Comments[0].AuthorOrganisation));
        Assert.NotNull(snapshot.Comments[1].HiddenAt);
        Assert.Equal("Contains a phone number (personal data).", snapshot.Comments[1].HiddenReason);
        Assert.Contains(snapshot.History, h => h.Action == "comment-hidden" && h.Actor == $"municipality-admin@{members[0]}");
    }

    [Fact]
    public async Task A_proposal_with_bad_input_or_by_the_wrong_caller_is_refused_and_not_stored()
    {
        var (arrangement, members) = await ArrangementAsync("prop-bad", 3900, 1);

        CallerContext.Set(BoardOf(members[0]));
        var unknownService = await fixture.Grains.GetGrain<IProposalGrain>("p-bad-1").ProposeAsync(new("prop-bad", LowerDebris() with { Tariff = new("asbest", 1m, 1m, "kg") }, null));
        var past = await fixture.Grains.GetGrain<IProposalGrain>("p-bad-2").ProposeAsync(new("prop-bad", LowerDebris(Today.AddDays(-1)), null));
        var negative = await fixture.Grains.GetGrain<IProposalGrain>("p-bad-3").ProposeAsync(new("prop-bad", LowerDebris() with { Tariff = new("bouwpuin", -1m, 0.5m, "m³") }, null));
        var noArrangement = await fixture.Grains.GetGrain<IProposalGrain>("p-bad-4").ProposeAsync(new("nope", LowerDebris(), null));
        CallerContext.Set(ClusterFixture.CitizenOf(members[0]));
        var byCitizen = await fixture.Grains.GetGrain<IProposalGrain>("p-bad-5").ProposeAsync(new("prop-bad", LowerDebris(), null));
        CallerContext.Set(BoardOf("GM3999"));
        var byOutsider = await fixture.Grains.GetGrain<IProposalGrain>("p-bad-6").ProposeAsync(new("prop-bad", LowerDebris(), null));

        Assert.Equal(ViolationCodes.UnknownService, unknownService.Errors[0].Code);
        Assert.Contains("lies in the past", past.Errors[0].Message);
        Assert.Equal("tariff.amount", negative.Errors[0].Field);
        Assert.Equal(ViolationCodes.NotFound, noArrangement.Errors[0].Code);
        Assert.True(byCitizen.IsRefusal && byOutsider.IsRefusal);
        for (var i = 1; i <= 6; i++) Assert.Null(await fixture.Grains.GetGrain<IProposalGrain>($"p-bad-{i}").GetAsync());
        Assert.Empty((await arrangement.GetAsync())!.ProposalIds!);
    }

    [Fact]
    public async Task A_proposal_lists_itself_under_its_arrangement_with_the_rule_it_was_made_under()
    {
        var (arrangement, members) = await ArrangementAsync("prop-list", 3950, 2, VoteWeightRule.PerInhabitants(10_000));
        CallerContext.Set(ClusterFixture.Operator);
        var strict = DecisionRules.Default(ProposalKind.TariffChange, VoteWeightRule.OnePerMember) with { Threshold = ThresholdKind.Unanimity };
        Assert.True((await arrangement.SetDecisionRuleAsync(strict)).Succeeded);
        var bad = await arrangement.SetDecisionRuleAsync(strict with { Threshold = ThresholdKind.Qualified, QualifiedFraction = new(3, 2) });
        CallerContext.Set(ClusterFixture.AdminOf(members[0]));
        var whileSettingUp = await arrangement.SetDecisionRuleAsync(strict);
        CallerContext.Set(ClusterFixture.AdminOf("GM3999"));
        var byOutsider = await arrangement.SetDecisionRuleAsync(strict);

        var proposal = await ProposeAsync("p-list", "prop-list", members[1]);
        CallerContext.Set(ClusterFixture.AdminOf(members[0]));
        var afterProposals = await arrangement.SetDecisionRuleAsync(strict with { VotingDays = 3 });

        Assert.Equal("qualifiedFraction", bad.Errors[0].Field);
        Assert.True(whileSettingUp.Succeeded);
        Assert.True(byOutsider.IsRefusal);
        Assert.True(afterProposals.IsRefusal);
        Assert.Contains("POLICY proposal", afterProposals.Errors[0].Message);
        Assert.Equal(14, (await arrangement.GetAsync())!.RuleFor(ProposalKind.TariffChange).VotingDays);
        Assert.Equal(["p-list"], (await arrangement.GetAsync())!.ProposalIds);
        var snapshot = (await proposal.GetAsync())!;
        Assert.Equal(ThresholdKind.Unanimity, snapshot.Rule.Threshold);
        Assert.Equal(["GM3950", "GM3951"], snapshot.Ballots.Select(b => b.MunicipalityCode));
    }

    [Fact]
    public async Task State_read_back_after_deactivation_keeps_default_values_and_each_arrangement_its_own_weight_rule()
    {
        var (byInhabitants, members) = await ArrangementAsync("prop-reload", 3960, 1, VoteWeightRule.PerInhabitants(10_000));
        var (onePerMember, _) = await ArrangementAsync("prop-reload-2", 3965, 1);
        var proposal = await ProposeAsync("p-reload", "prop-reload", members[0]); // a TARIFF_CHANGE: the enum's default value

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        // Read the by-inhabitants arrangement first: a shared default object filled in place would leak into the other.
        var first = (await byInhabitants.GetAsync())!;
        var second = (await onePerMember.GetAsync())!;
        var reloaded = (await proposal.GetAsync())!;

        Assert.Equal((VoteWeightKind.ByInhabitants, VoteWeightKind.OnePerMember), (first.WeightRule.Kind, second.WeightRule.Kind));
        Assert.Equal(VoteWeightKind.OnePerMember, VoteWeightRule.OnePerMember.Kind);
        Assert.Equal((ProposalKind.TariffChange, ProposalKind.TariffChange), (reloaded.Change.Kind, reloaded.Rule.Kind));
    }
}
