using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Calendar;
using Platform.Domain.Events;
using Platform.Domain.Proposals;
using Platform.Domain.Tariffs;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;
using Platform.Grains.Notifications;
using Platform.Grains.Organisations;
using Platform.Grains.Proposals;
using Platform.ReadModel;
using Platform.ServiceDefaults.Mail;

namespace Platform.Grains.Tests;

/// <summary>
/// A proposal's life as events and mail: the councils asked for their opinion, the board told that voting opened,
/// reminded two working days before the close only where the municipality has not voted, and told the outcome;
/// an arrangement's tariffs and members as events for partners. Each step once, however often the clock ticks.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ProposalEventTests(ClusterFixture fixture)
{
    private IDbContextFactory<ComplaintListStore> Store => fixture.Store;

    private static List<MailMessageToSend> MailTo(string address) => ClusterFixture.MailTo(address);

    /// <summary>Three members, each with a board member and an alderman on the platform.</summary>
    private async Task<List<string>> ArrangementAsync(string id, int firstCode)
    {
        CallerContext.Set(ClusterFixture.Operator);
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>(id);
        Assert.True((await arrangement.CreateAsync(new("Regeling " + id, "Uitvoerder", [new("bouwpuin", "Bouwpuin")], VoteWeightRule.OnePerMember, await fixture.ExecutorAsync($"exec-{id}")))).Succeeded);
        var codes = Enumerable.Range(firstCode, 3).Select(n => $"GM{n:0000}").ToList();
        foreach (var code in codes)
        {
            CallerContext.Set(ClusterFixture.Operator);
            await fixture.Grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Gemeente {code}", 10_000, new(2024, 1, 1)));
            Assert.True((await arrangement.AddMemberAsync(new(code))).Succeeded);
            var organisation = fixture.Grains.GetGrain<IOrganisationGrain>(code);
            for (var i = 0; i < 20 && await organisation.GetAsync() is null; i++) await Task.Delay(50); // registered by the municipality's outbox
            Assert.True((await organisation.InviteAsync(new($"bestuur@{code.ToLowerInvariant()}.example", "Bestuurder", Roles.BoardMember))).Succeeded);
            Assert.True((await organisation.InviteAsync(new($"wethouder@{code.ToLowerInvariant()}.example", "Wethouder", Roles.Alderman))).Succeeded);
        }
        return codes;
    }

    private async Task DrainAsync()
    {
        using var system = CallerContext.As(Caller.System("test"));
        var notifier = fixture.Grains.GetGrain<INotificationGrain>(NotificationGrain.Key);
        for (var i = 0; i < 20; i++)
        {
            var round = await notifier.RunOnceAsync();
            if (round.EventsRead == 0 && round.Sent == 0 && round.Retrying == 0) return;
        }
    }

    private async Task<List<EventRow>> EventsAsync(string subject)
    {
        await using var db = await Store.CreateDbContextAsync();
        return await db.Events.AsNoTracking().Where(e => e.Subject == subject).OrderBy(e => e.Sequence).ToListAsync();
    }

    [Fact]
    public async Task A_plan_goes_from_opinions_to_voting_to_a_reminder_for_those_who_did_not_vote_to_the_outcome_each_told_once()
    {
        var members = await ArrangementAsync("pe-plan", 4100);
        var board = members.Select(m => $"bestuur@{m.ToLowerInvariant()}.example").ToList();
        var aldermen = members.Select(m => $"wethouder@{m.ToLowerInvariant()}.example").ToList();
        CallerContext.Set(ProposalGrainTests.BoardOf(members[0]));
        var proposal = fixture.Grains.GetGrain<IProposalGrain>("p-pe-plan");
        Assert.True((await proposal.ProposeAsync(new("pe-plan", new(ProposalKind.PlanAdoption, "Strooiplan 2027", "Meer routes", "Route A en B", null, null, null), null))).Succeeded);
        var schedule = (await proposal.GetAsync())!.Schedule;
        await DrainAsync();

        Assert.All(aldermen, a => Assert.Equal($"Zienswijze gevraagd: Strooiplan 2027", Assert.Single(MailTo(a)).Subject));
        Assert.All(board, b => Assert.Empty(MailTo(b)));

        // The opinion period ends: voting opens, and ticking twice announces it once.
        ClusterFixture.Clock.Advance(schedule.VotingOpensAt - ClusterFixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await proposal.TickAsync();
        await proposal.TickAsync();
        await DrainAsync();
        Assert.All(board, b => Assert.Equal("Stemming geopend: Strooiplan 2027", Assert.Single(MailTo(b)).Subject));

        CallerContext.Set(ProposalGrainTests.BoardOf(members[0]));
        Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes)).Succeeded);
        ClusterFixture.Clock.Advance(ProposalClock.ClosingSoonAt(schedule)!.Value - ClusterFixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await proposal.TickAsync();
        await proposal.TickAsync();
        await DrainAsync();
        Assert.Single(MailTo(board[0])); // voted: no reminder
        Assert.All(board.Skip(1), b => Assert.StartsWith("Herinnering: stemming sluit", MailTo(b)[^1].Subject, StringComparison.Ordinal));
        CallerContext.Set(ProposalGrainTests.BoardOf(members[1]));
        Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes)).Succeeded);

        ClusterFixture.Clock.Advance(schedule.VotingClosesAt - ClusterFixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await proposal.TickAsync();
        await proposal.TickAsync();
        await DrainAsync();
        Assert.All(board, b => Assert.Equal("Uitslag: Strooiplan 2027: aangenomen", MailTo(b)[^1].Subject));
        Assert.Equal([2, 3, 3], board.Select(b => MailTo(b).Count));
        Assert.All(aldermen, a => Assert.Single(MailTo(a)));

        var events = await EventsAsync("p-pe-plan");
        Assert.Equal([EventTypes.ProposalOpinionPeriodOpened, EventTypes.ProposalVotingOpened, EventTypes.ProposalClosingSoon, EventTypes.ProposalClosed, EventTypes.DecisionTookEffect],
            events.Select(e => e.Type));
        Assert.Equal("proposal:p-pe-plan:proposal.closing-soon", events[2].Id);
        var reminder = EventData.Arrangement(EventJson.Event(events[2]))!;
        Assert.Equal(members.Skip(1), reminder.NotVoted);
        Assert.Equal(members, reminder.Members);
        Assert.All(events, e => Assert.Equal(("pe-plan", (string?)null, "exec-pe-plan"), (e.ArrangementId, e.Municipality, e.ExecutingOrganisation)));
    }

    [Fact]
    public async Task Voting_opens_when_every_council_has_spoken_and_the_last_vote_closes_it_each_step_told_once()
    {
        var members = await ArrangementAsync("pe-early", 4600);
        var board = members.Select(m => $"bestuur@{m.ToLowerInvariant()}.example").ToList();
        CallerContext.Set(ProposalGrainTests.BoardOf(members[0]));
        var proposal = fixture.Grains.GetGrain<IProposalGrain>("p-pe-early");
        Assert.True((await proposal.ProposeAsync(new("pe-early", new(ProposalKind.PlanAdoption, "Strooiplan, gewijzigd", "Na het zouttekort", "Buffer 1.400 ton", null, null, null), null))).Succeeded);
        var proposedAt = ClusterFixture.Clock.GetUtcNow();

        // Two councils of three have spoken: the opinion period runs on.
        foreach (var code in members.Take(2))
        {
            CallerContext.Set(ClusterFixture.AdminOf(code));
            Assert.True((await proposal.SubmitOpinionAsync($"Akkoord, {code}.")).Succeeded);
        }
        Assert.Equal(ProposalPhase.Opinion, (await proposal.GetAsync())!.Phase);
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(2));
        CallerContext.Set(ClusterFixture.AdminOf(members[2]));
        Assert.True((await proposal.SubmitOpinionAsync("Akkoord, mits de fietspaden meegaan.")).Succeeded);

        // The third opinion opens voting at once, for the rule's fourteen days from now.
        var opened = (await proposal.GetAsync())!;
        var now = ClusterFixture.Clock.GetUtcNow();
        Assert.Equal(ProposalPhase.Voting, opened.Phase);
        Assert.Equal((now, now.AddDays(14)), (opened.Schedule.VotingOpensAt, opened.Schedule.VotingClosesAt));
        Assert.True(opened.Schedule.VotingOpensAt < proposedAt.AddDays(28));
        CallerContext.Set(ClusterFixture.AdminOf(members[0]));
        Assert.Equal(ViolationCodes.Closed, Assert.Single((await proposal.SubmitOpinionAsync("Nog iets.")).Errors).Code);

        // Two boards vote (one changes its mind); the vote stays open until the third votes, whose vote closes it.
        CallerContext.Set(ProposalGrainTests.BoardOf(members[0]));
        Assert.True((await proposal.CastVoteAsync(VoteChoice.No, "v-0")).Succeeded);
        Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes, "v-1")).Succeeded);
        CallerContext.Set(ProposalGrainTests.BoardOf(members[1]));
        Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes, "v-2")).Succeeded);
        Assert.Null((await proposal.GetAsync())!.Outcome);
        CallerContext.Set(ProposalGrainTests.BoardOf(members[2]));
        Assert.True((await proposal.CastVoteAsync(VoteChoice.No, "v-3")).Succeeded);
        var closed = (await proposal.GetAsync())!;
        Assert.Equal((ProposalOutcome.Adopted, ProposalPhase.Closed), (closed.Outcome, closed.Phase));
        Assert.Equal(ClusterFixture.Clock.GetUtcNow(), closed.Schedule.VotingClosesAt);
        Assert.Equal((2L, 1L), (closed.Tally.Yes, closed.Tally.No));

        // The last vote's request again (its answer lost) is answered as applied; a new vote is refused; nothing moves.
        Assert.True((await proposal.CastVoteAsync(VoteChoice.No, "v-3")).Succeeded);
        Assert.Equal(ViolationCodes.Closed, Assert.Single((await proposal.CastVoteAsync(VoteChoice.Yes, "v-4")).Errors).Code);
        Assert.Equal((2L, 1L, ProposalOutcome.Adopted), ((await proposal.GetAsync())!.Tally.Yes, (await proposal.GetAsync())!.Tally.No, (await proposal.GetAsync())!.Outcome));

        await proposal.TickAsync();
        await DrainAsync();
        Assert.All(board, b => Assert.Equal(["Stemming geopend: Strooiplan, gewijzigd", "Uitslag: Strooiplan, gewijzigd: aangenomen"], MailTo(b).Select(m => m.Subject)));
        Assert.Equal([EventTypes.ProposalOpinionPeriodOpened, EventTypes.ProposalVotingOpened, EventTypes.ProposalClosed, EventTypes.DecisionTookEffect],
            (await EventsAsync("p-pe-early")).Select(e => e.Type));
        Assert.Equal(["voting-opened", "every-member-voted", "closed"], closed.History.Where(h => h.Actor == ProposalGrain.CloseActor).Take(3).Select(h => h.Action));
    }

    [Fact]
    public async Task A_board_member_who_switched_proposal_votes_off_is_not_told_and_a_short_vote_has_no_reminder()
    {
        var members = await ArrangementAsync("pe-off", 4200);
        var quiet = $"bestuur@{members[1].ToLowerInvariant()}.example";
        CallerContext.Set(new Caller(CallerKind.User, quiet, members[1], [Roles.BoardMember], []));
        Assert.True((await fixture.Grains.GetGrain<IPersonSettingsGrain>(quiet).ChangeAsync(new(null, [new(NotificationKind.ProposalVotes, NotificationDelivery.Off)]))).Succeeded);
        CallerContext.Set(ClusterFixture.Operator);
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>("pe-off");
        var rule = DecisionRules.Default(ProposalKind.PolicyDecision, VoteWeightRule.OnePerMember) with { VotingDays = 1 };
        Assert.True((await arrangement.SetDecisionRuleAsync(rule)).Succeeded);

        CallerContext.Set(ProposalGrainTests.BoardOf(members[0]));
        var proposal = fixture.Grains.GetGrain<IProposalGrain>("p-pe-off");
        Assert.True((await proposal.ProposeAsync(new("pe-off", new(ProposalKind.PolicyDecision, "Kortere route", "Sneller", "Tekst", null, null, null), null))).Succeeded);
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await proposal.TickAsync();
        await DrainAsync();

        Assert.Empty(MailTo(quiet));
        Assert.Equal(["Stemming geopend: Kortere route", "Uitslag: Kortere route: geen quorum"], MailTo($"bestuur@{members[0].ToLowerInvariant()}.example").Select(m => m.Subject));
        Assert.DoesNotContain(EventTypes.ProposalClosingSoon, (await EventsAsync("p-pe-off")).Select(e => e.Type));
    }

    [Fact]
    public async Task Tariffs_and_memberships_are_events_for_partners_once_each()
    {
        var members = await ArrangementAsync("pe-arr", 4300);
        CallerContext.Set(ClusterFixture.Operator);
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>("pe-arr");
        Assert.True((await arrangement.PublishTariffScheduleAsync(new([new("bouwpuin", 35m, TariffSchedule.Euro, 0.5m, "m³", new(2025, 1, 1), null, "AB-2024-11")]))).Succeeded);
        Assert.True((await arrangement.EndMembershipAsync(new(members[2], ClusterFixture.Clock.TodayInAmsterdam().AddDays(30)))).Succeeded);

        var events = await EventsAsync("pe-arr");
        Assert.Equal([EventTypes.MemberJoined, EventTypes.MemberJoined, EventTypes.MemberJoined, EventTypes.TariffPublished, EventTypes.MemberLeaving], events.Select(e => e.Type));
        var tariff = EventData.Arrangement(EventJson.Event(events[3]))!;
        Assert.Equal(("bouwpuin", 35m, "per 0.5 m³", new DateOnly(2025, 1, 1)), (tariff.ServiceCode, tariff.Amount!.Value, tariff.Unit, tariff.Date!.Value));
        Assert.Equal(members, tariff.Members);
        Assert.Equal(members[2], EventData.Arrangement(EventJson.Event(events[4]))!.Municipality);
        // The first member's event names only itself; the third's all three.
        Assert.Equal([members[0]], EventData.Arrangement(EventJson.Event(events[0]))!.Members);
        Assert.Equal(members, EventData.Arrangement(EventJson.Event(events[2]))!.Members);
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Three_and_six_months_after_a_decision_took_effect_its_evidence_is_counted_again_per_member_and_the_boards_are_told()
    {
        var members = await ArrangementAsync("pe-worked", 4400);
        async Task FileAsync(string member, int n)
        {
            CallerContext.Set(new Caller(CallerKind.User, $"inwoner{n}@{member.ToLowerInvariant()}.example", member, [Roles.Citizen], []));
            var filed = await fixture.Grains.GetGrain<Platform.Grains.Complaints.IComplaintGrain>($"c-pe-worked-{member}-{n}-{Guid.NewGuid():N}"[..40])
                .FileAsync(new("pe-worked", "bouwpuin", "Puin gestort", new(null, null, "Dijk 1")));
            Assert.True(filed.Succeeded, string.Join("; ", filed.Errors.Select(e => e.Message)));
        }
        // The evidence: three complaints from the first member and one from the second in the last 30 days.
        for (var n = 0; n < 3; n++) await FileAsync(members[0], n);
        await FileAsync(members[1], 0);
        var today = ClusterFixture.Clock.TodayInAmsterdam();
        CallerContext.Set(ProposalGrainTests.BoardOf(members[0]));
        var proposal = fixture.Grains.GetGrain<IProposalGrain>("p-pe-worked");
        Assert.True((await proposal.ProposeAsync(new("pe-worked", new(ProposalKind.PolicyDecision, "Puin gratis brengen", "Minder dumpen", "Tekst", null, null, null),
            new EvidencePeriod("bouwpuin", today.AddDays(-29), today)))).Succeeded);
        foreach (var member in members)
        {
            CallerContext.Set(ProposalGrainTests.BoardOf(member));
            Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes)).Succeeded);
        }
        // The last member's vote closed it, and the decision took effect that day.
        var effective = ClusterFixture.Clock.TodayInAmsterdam();
        Assert.NotNull((await proposal.GetAsync())!.EffectAppliedAt);

        // One complaint in the last 30 days before the three-month mark; none before the six-month mark.
        ClusterFixture.Clock.Advance(Platform.Domain.Calendar.AmsterdamCalendar.StartOf(DecisionFollowUp.MeasureOn(effective, 3)) - ClusterFixture.Clock.GetUtcNow() - TimeSpan.FromDays(10));
        await FileAsync(members[0], 9);
        await proposal.TickAsync();
        Assert.Empty((await proposal.GetAsync())!.Measurements!);
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));
        await proposal.TickAsync();
        await proposal.TickAsync();
        var three = Assert.Single((await proposal.GetAsync())!.Measurements!);
        Assert.Equal((3, 4, 1), (three.Months, three.BeforeTotal, three.AfterTotal));
        Assert.Equal([(members[0], 3, 1), (members[1], 1, 0), (members[2], 0, 0)], three.Members.Select(m => (m.Municipality, m.Before, m.After)));
        Assert.Equal((3.0m, 1.0m), (three.Members[0].BeforeRate, three.Members[0].AfterRate)); // 10,000 inhabitants, 30-day windows

        ClusterFixture.Clock.Advance(Platform.Domain.Calendar.AmsterdamCalendar.StartOf(DecisionFollowUp.MeasureOn(effective, 6)) - ClusterFixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await proposal.TickAsync();
        await proposal.TickAsync();
        var measurements = (await proposal.GetAsync())!.Measurements!;
        Assert.Equal([3, 6], measurements.Select(m => m.Months));
        Assert.Equal(0, measurements[1].AfterTotal);
        await DrainAsync();

        var board = $"bestuur@{members[1].ToLowerInvariant()}.example";
        Assert.Equal(["Na 3 maanden: Puin gratis brengen", "Na 6 maanden: Puin gratis brengen"], MailTo(board).Where(m => m.Subject.StartsWith("Na ", StringComparison.Ordinal)).Select(m => m.Subject));
        Assert.Contains($"{members[0]} 3 → 1", MailTo(board).First(m => m.Subject.StartsWith("Na 3", StringComparison.Ordinal)).Body, StringComparison.Ordinal);
        var events = await EventsAsync("p-pe-worked");
        Assert.Equal(["proposal:p-pe-worked:proposal.effect-measured-3", "proposal:p-pe-worked:proposal.effect-measured-6"],
            events.Where(e => e.Type == EventTypes.DecisionEffectMeasured).Select(e => e.Id));
    }
}
