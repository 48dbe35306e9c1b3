using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Calendar;
using Platform.Domain.Consultations;
using Platform.Domain.Events;
using Platform.Domain.ExtraWork;
using Platform.Domain.Incidents;
using Platform.Domain.Performance;
using Platform.Domain.Proposals;
using Platform.Grains.Arrangements;
using Platform.Grains.Consultations;
using Platform.Grains.ExtraWork;
using Platform.Grains.Incidents;
using Platform.Grains.Municipalities;
using Platform.Grains.Notifications;
using Platform.Grains.Organisations;
using Platform.Grains.Performance;
using Platform.Grains.Proposals;

namespace Platform.Grains.Tests;

/// <summary>
/// Issue 15's story as one test, on the cluster's moved clock: a winter in which the salt runs out. The executing
/// organisation reports the incident, it moves up by itself past its deadlines to the contract managers and then to the
/// aldermen, who decide; the salt is bought in as extra work, quoted, approved and invoiced; the gritting plan is amended
/// and adopted by vote; the month's figure shows the deviation; and the next consultation lists the action item that was
/// not done. Every instrument is the real grain; only the clock is moved.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WinterStoryTests(ClusterFixture fixture)
{
    private static Caller AldermanOf(string municipality) => new(CallerKind.User, $"alderman@{municipality}", municipality, [Roles.Alderman], []);

    [Fact]
    public async Task A_winter_in_which_the_salt_runs_out()
    {
        const string id = "winter-verhaal";
        CallerContext.Set(ClusterFixture.Operator);
        var executor = await fixture.ExecutorAsync("exec-winter");
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>(id);
        Assert.True((await arrangement.CreateAsync(new("Gladheid West", "Strooidienst West", [new("strooien", "Strooien")], VoteWeightRule.OnePerMember, executor))).Succeeded);
        string[] members = ["GM4560", "GM4561"];
        foreach (var code in members)
        {
            CallerContext.Set(ClusterFixture.Operator);
            await fixture.Grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Gemeente {code}", 30_000, new(2024, 1, 1)));
            Assert.True((await arrangement.AddMemberAsync(new(code))).Succeeded);
        }
        var start = ClusterFixture.Clock.TodayInAmsterdam();

        // Autumn: the members set the norm, and the tactical consultation agrees that the salt stock is topped up.
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        var agreement = fixture.Grains.GetGrain<IPerformanceAgreementGrain>(id);
        Assert.True((await agreement.DefineIndicatorAsync(new("Veiligheid", "Hoofdroutes voor 07:00 gestrooid", "%", 95, IndicatorDirection.AtLeast, ReportingPeriod.Month, null, null, start))).Succeeded);
        var autumn = fixture.Grains.GetGrain<IConsultationGrain>("mtg-winter-1");
        Assert.True((await autumn.ScheduleAsync(new(id, ConsultationLevel.Tactical, "Contractoverleg herfst", ClusterFixture.Clock.GetUtcNow(), ["Zoutvoorraad"]))).Succeeded);
        Assert.True((await autumn.RecordMinutesAsync(new("De voorraad is 280 ton, onder de afgesproken 1.200.", ["Voorraad aanvullen"],
            [new("Zoutvoorraad aanvullen tot 1.200 ton", executor, start.AddDays(3))]))).Succeeded);

        // The salt runs out: operations let four hours pass, the contract managers a day, and the aldermen decide.
        var incident = fixture.Grains.GetGrain<IIncidentGrain>("inc-winter-1");
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await incident.ReportAsync(new(id, "Het strooizout is op", "De loods is leeg; de leverancier levert pas over vijf dagen.", Political: false))).Succeeded);
        ClusterFixture.Clock.Advance(EscalationDeadlines.Default.Operations + TimeSpan.FromMinutes(1));
        await incident.TickAsync();
        ClusterFixture.Clock.Advance(EscalationDeadlines.Default.ContractManagers + TimeSpan.FromMinutes(1));
        await incident.TickAsync();
        CallerContext.Set(AldermanOf(members[1]));
        Assert.True((await incident.DecideAsync("Zout inkopen bij de buurregio als meerwerk; het plan wordt aangepast.", resolves: true)).Succeeded);
        var decided = (await incident.ViewAsync()).Incident!;
        Assert.Equal([(EscalationLevel.Operations, EscalationReason.Reported), (EscalationLevel.ContractManagers, EscalationReason.DeadlinePassed), (EscalationLevel.AldermenCommittee, EscalationReason.DeadlinePassed)],
            decided.Steps.Select(s => (s.Level, s.Reason)));
        Assert.Equal(IncidentStatus.Resolved, decided.Status);

        // The salt is bought in as extra work: quoted, approved by the member that asked, invoiced within the quote.
        var salt = fixture.Grains.GetGrain<IExtraWorkGrain>("xw-winter-1");
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        Assert.True((await salt.RequestAsync(new(id, "40 ton strooizout bijkopen", "Bij de buurregio, deze week geleverd"))).Succeeded);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await salt.QuoteAsync(5_060m, "40 ton à € 126,50")).Succeeded);
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        Assert.True((await salt.ApproveAsync()).Succeeded);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await salt.InvoiceAsync(5_060m, "Factuur W-17")).Succeeded);
        CallerContext.Set(ClusterFixture.ManagerOf(members[1]));
        Assert.Equal((ExtraWorkStatus.Invoiced, 5_060m), ((await salt.ViewAsync()).ExtraWork!.Status, (await salt.ViewAsync()).ExtraWork!.InvoicedAmount));

        // The executing organisation amends the gritting plan; the councils give their opinion, the boards adopt it.
        var plan = fixture.Grains.GetGrain<IProposalGrain>("p-winter-plan");
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await plan.ProposeAsync(new(id, new(ProposalKind.PlanAdoption, "Gladheidsplan, gewijzigd", "Na het zouttekort: een grotere buffer",
            "Voorraad 1.400 ton op 1 november; bij minder dan 400 ton bestelt de uitvoerder bij en meldt het aan de contractmanagers.", null, null, null), null))).Succeeded);
        var schedule = (await plan.GetAsync())!.Schedule;
        ClusterFixture.Clock.Advance(schedule.VotingOpensAt - ClusterFixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await plan.TickAsync();
        foreach (var member in members)
        {
            CallerContext.Set(ProposalGrainTests.BoardOf(member));
            Assert.True((await plan.CastVoteAsync(VoteChoice.Yes)).Succeeded);
        }
        ClusterFixture.Clock.Advance(schedule.VotingClosesAt - ClusterFixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await plan.TickAsync();
        Assert.Equal(ProposalOutcome.Adopted, (await plan.GetAsync())!.Outcome);

        // The month's figure arrives: 88 % of the main routes in time, against at least 95 %: a deviation at once.
        var today = ClusterFixture.Clock.TodayInAmsterdam();
        var lastMonth = PerformanceRules.NameOf(ReportingPeriod.Month, new DateOnly(today.Year, today.Month, 1).AddDays(-1));
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await agreement.ReportAsync(new("ind-1", lastMonth, 88m, "%", "Vijf dagen zonder zout"))).Succeeded);
        CallerContext.Set(ClusterFixture.ManagerOf(members[1]));
        var figures = (await agreement.ViewAsync()).Agreement!;
        Assert.True(Assert.Single(figures.Figures).Deviation);
        Assert.Equal(GoalState.Attention, PerformanceRules.Overall(PerformanceRules.Rollup(figures.Indicators, figures.Figures)));

        // The next consultation: the stock was never topped up, so that agreement is on its agenda.
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        var spring = fixture.Grains.GetGrain<IConsultationGrain>("mtg-winter-2");
        Assert.True((await spring.ScheduleAsync(new(id, ConsultationLevel.Tactical, "Contractoverleg voorjaar", ClusterFixture.Clock.GetUtcNow().AddDays(7), ["Evaluatie winter"]))).Succeeded);
        var held = (await autumn.ViewAsync()).Consultation!;
        var next = (await spring.ViewAsync()).Consultation!;
        var notKept = ConsultationRules.NotKept(held.ActionItems.Select(a => new CarriedActionItem(held.Id, held.Title, held.ScheduledAt, a)), AmsterdamCalendar.DateOf(next.ScheduledAt));
        Assert.Equal(["Zoutvoorraad aanvullen tot 1.200 ton"], notKept.Select(c => c.Item.Text));
        Assert.Equal(executor, notKept[0].Item.Owner);

        // Every step was told once to the members' feeds, in the order it happened.
        await fixture.DrainNotificationsAsync();
        await using var db = await fixture.Store.CreateDbContextAsync();
        var told = await db.Events.AsNoTracking().Where(e => e.ArrangementId == id).OrderBy(e => e.Sequence).Select(e => e.Type).ToListAsync();
        Assert.Equal([EventTypes.IncidentReported, EventTypes.IncidentEscalated, EventTypes.IncidentEscalated, EventTypes.IncidentDecided],
            told.Where(t => t.StartsWith(EventTypes.Prefix + "incident.", StringComparison.Ordinal)));
        Assert.Equal([EventTypes.ExtraWorkRequested, EventTypes.ExtraWorkQuoted, EventTypes.ExtraWorkApproved, EventTypes.ExtraWorkInvoiced],
            told.Where(t => t.StartsWith(EventTypes.Prefix + "extra-work.", StringComparison.Ordinal)));
        Assert.Contains(EventTypes.ProposalClosed, told);
        Assert.Equal([EventTypes.PerformanceDeviation], told.Where(t => t.StartsWith(EventTypes.Prefix + "performance.", StringComparison.Ordinal)));
        Assert.True(told.IndexOf(EventTypes.IncidentDecided) < told.IndexOf(EventTypes.ExtraWorkRequested));
        Assert.True(told.IndexOf(EventTypes.ProposalClosed) < told.IndexOf(EventTypes.PerformanceDeviation));
    }
}
