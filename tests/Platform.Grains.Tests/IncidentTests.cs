using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Events;
using Platform.Domain.Incidents;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Incidents;
using Platform.Grains.Municipalities;
using Platform.Grains.Notifications;
using Platform.Grains.Organisations;
using Platform.ReadModel;

namespace Platform.Grains.Tests;

/// <summary>
/// An incident's escalation on a moved clock: operations let its four hours pass, the incident moves to the contract
/// managers by itself, they let their day pass, it reaches the aldermen's committee, which decides; each step an event
/// for the members, once. A raise that skips a step is refused; a political incident reaches the aldermen at once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IncidentTests(ClusterFixture fixture)
{
    private static Caller AldermanOf(string municipality) => new(CallerKind.User, $"alderman@{municipality}", municipality, [Roles.Alderman], []);

    /// <summary>An arrangement of two members with its own executing organisation; returns the member codes and the executor.</summary>
    private async Task<(List<string> Members, string Executor)> ArrangementAsync(string id, int firstCode)
    {
        CallerContext.Set(ClusterFixture.Operator);
        var executor = await fixture.ExecutorAsync($"exec-{id}");
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>(id);
        Assert.True((await arrangement.CreateAsync(new("Gladheid " + id, "Strooidienst", [new("strooien", "Strooien")], VoteWeightRule.OnePerMember, executor))).Succeeded);
        var codes = Enumerable.Range(firstCode, 2).Select(n => $"GM{n:0000}").ToList();
        foreach (var code in codes)
        {
            CallerContext.Set(ClusterFixture.Operator);
            await fixture.Grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Gemeente {code}", 20_000, new(2024, 1, 1)));
            Assert.True((await arrangement.AddMemberAsync(new(code))).Succeeded);
        }
        return (codes, executor);
    }

    private async Task<List<EventRow>> EventsAsync(string incident)
    {
        await using var db = await fixture.Store.CreateDbContextAsync();
        return await db.Events.AsNoTracking().Where(e => e.Subject == incident).OrderBy(e => e.Sequence).ToListAsync();
    }

    private static async Task<IncidentSnapshot> ViewAsync(IIncidentGrain grain, Caller caller)
    {
        using var _ = CallerContext.As(caller);
        var view = await grain.ViewAsync();
        Assert.True(view.Access.Succeeded, string.Join("; ", view.Access.Errors.Select(e => e.Message)));
        return view.Incident!;
    }

    [Fact]
    public void Escalation_deadlines_under_ten_seconds_are_a_configuration_mistake()
    {
        Assert.True(new EscalationSettings().IsValid);
        Assert.Equal(EscalationDeadlines.Default, new EscalationSettings().Deadlines);
        Assert.True(new EscalationSettings { Operations = TimeSpan.FromSeconds(10) }.IsValid);
        Assert.False(new EscalationSettings { Operations = TimeSpan.FromSeconds(9) }.IsValid);
        Assert.False(new EscalationSettings { ContractManagers = TimeSpan.Zero }.IsValid);
    }

    [Fact]
    public async Task An_undecided_incident_moves_up_by_itself_at_each_deadline_until_the_aldermen_decide_each_step_told_once()
    {
        var (members, executor) = await ArrangementAsync("incident-salt", 4500);
        // The people each level mails: the executor's planner, a member's contract manager and alderman.
        CallerContext.Set(ClusterFixture.Operator);
        Assert.True((await fixture.Grains.GetGrain<IOrganisationGrain>(executor).InviteAsync(new("planner@strooi.example", "Planner", Roles.ExecutorStaff))).Succeeded);
        var municipality = fixture.Grains.GetGrain<IOrganisationGrain>(members[0]);
        for (var i = 0; i < 20 && await municipality.GetAsync() is null; i++) await Task.Delay(50); // registered by the municipality's outbox
        Assert.True((await municipality.InviteAsync(new("cm@gm4500.example", "Contractmanager", Roles.ContractManager))).Succeeded);
        Assert.True((await municipality.InviteAsync(new("wethouder@gm4500.example", "Wethouder", Roles.Alderman))).Succeeded);
        var incident = fixture.Grains.GetGrain<IIncidentGrain>("inc-salt-1");
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        var reported = await incident.ReportAsync(new("incident-salt", "Het strooizout is op", "De loods in Hoorn is leeg; levering pas over drie dagen.", Political: false));
        Assert.True(reported.Succeeded, string.Join("; ", reported.Errors.Select(e => e.Message)));
        var reportedAt = ClusterFixture.Clock.GetUtcNow();

        var first = await ViewAsync(incident, ClusterFixture.ManagerOf(members[0]));
        Assert.Equal(EscalationLevel.Operations, first.Level);
        Assert.Equal(reportedAt + EscalationDeadlines.Default.Operations, first.Steps[0].DecideBy);
        Assert.False(first.ViewerCan.Decide); // not the contract managers' turn yet
        Assert.True(first.ViewerCan.Raise);   // but they may pull it up

        // Before the deadline a tick changes nothing; after it, the contract managers have it.
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(3));
        await incident.TickAsync();
        Assert.Equal(EscalationLevel.Operations, (await ViewAsync(incident, ClusterFixture.Operator)).Level);
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await incident.TickAsync();
        await incident.TickAsync();
        var second = await ViewAsync(incident, ClusterFixture.ManagerOf(members[1]));
        Assert.Equal(EscalationLevel.ContractManagers, second.Level);
        Assert.Equal(EscalationReason.DeadlinePassed, second.Steps[^1].Reason);
        Assert.Equal(IncidentGrain.EscalationActor, second.Steps[^1].By);
        Assert.True(second.ViewerCan.Decide);

        ClusterFixture.Clock.Advance(EscalationDeadlines.Default.ContractManagers + TimeSpan.FromMinutes(1));
        await incident.TickAsync();
        var third = await ViewAsync(incident, AldermanOf(members[0]));
        Assert.Equal(EscalationLevel.AldermenCommittee, third.Level);
        Assert.Null(third.Steps[^1].DecideBy); // the top has no deadline above it
        Assert.True(third.ViewerCan.Decide);

        // Operations may no longer decide; an alderman of a member does, and resolves it.
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await incident.DecideAsync("Zout bij de buren lenen", resolves: true)).IsRefusal);
        CallerContext.Set(AldermanOf(members[0]));
        Assert.True((await incident.DecideAsync("Zout inkopen bij de buurregio; meerwerk aanvragen.", resolves: true)).Succeeded);
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(3));
        await incident.TickAsync();
        var done = await ViewAsync(incident, ClusterFixture.Operator);
        Assert.Equal((IncidentStatus.Resolved, EscalationLevel.AldermenCommittee, 3), (done.Status, done.Level, done.Steps.Count));
        Assert.Equal($"alderman@{members[0]}", done.Steps[^1].DecidedBy);
        Assert.False(done.ViewerCan.Decide);

        // Each level was mailed when the incident reached it, and the contract manager the decision: once each.
        await fixture.DrainNotificationsAsync();
        Assert.Equal(["Incident voor de uitvoering: Het strooizout is op"], ClusterFixture.MailTo("planner@strooi.example").Select(m => m.Subject));
        Assert.Equal(["Incident voor de contractmanagers: Het strooizout is op", "Besloten en opgelost: Het strooizout is op"], ClusterFixture.MailTo("cm@gm4500.example").Select(m => m.Subject));
        Assert.Equal(["Incident voor het wethoudersoverleg: Het strooizout is op"], ClusterFixture.MailTo("wethouder@gm4500.example").Select(m => m.Subject));

        var events = await EventsAsync("inc-salt-1");
        Assert.Equal([EventTypes.IncidentReported, EventTypes.IncidentEscalated, EventTypes.IncidentEscalated, EventTypes.IncidentDecided], events.Select(e => e.Type));
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        var decided = EventData.Arrangement(EventJson.Event(events[^1]))!;
        Assert.Equal((true, "AldermenCommittee"), (decided.Resolved, decided.Level));
        Assert.Equal(members, decided.Members);
    }

    [Fact]
    public async Task A_raise_that_skips_a_step_is_refused_and_changes_nothing_while_a_political_incident_reaches_the_aldermen_at_once()
    {
        var (members, executor) = await ArrangementAsync("incident-skip", 4510);
        var incident = fixture.Grains.GetGrain<IIncidentGrain>("inc-skip-1");
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        Assert.True((await incident.ReportAsync(new("incident-skip", "Strooiroute overgeslagen", "De route langs de school is niet gereden.", false))).Succeeded);

        var skipped = await incident.RaiseAsync(EscalationLevel.AldermenCommittee, "Direct naar de wethouders", political: false);
        Assert.Equal([("to", Escalation.SkipsAStep)], skipped.Errors.Select(e => (e.Field, e.Code)));
        var down = await incident.RaiseAsync(EscalationLevel.Operations, "Terug", political: false);
        Assert.Equal([("to", ViolationCodes.IllegalTransition)], down.Errors.Select(e => (e.Field, e.Code)));
        var noNote = await incident.RaiseAsync(EscalationLevel.ContractManagers, " ", political: false);
        Assert.Equal([("note", ViolationCodes.Required)], noNote.Errors.Select(e => (e.Field, e.Code)));
        var unchanged = await ViewAsync(incident, ClusterFixture.Operator);
        Assert.Equal((EscalationLevel.Operations, 1, false), (unchanged.Level, unchanged.Steps.Count, unchanged.Political));

        // Marked political, it goes over the contract managers to the aldermen.
        Assert.True((await incident.RaiseAsync(EscalationLevel.AldermenCommittee, "De school belt de wethouder", political: true)).Succeeded);
        var raised = await ViewAsync(incident, AldermanOf(members[1]));
        Assert.Equal((EscalationLevel.AldermenCommittee, EscalationReason.Political, true), (raised.Level, raised.Steps[^1].Reason, raised.Political));

        // Reported as political, it starts there.
        var political = fixture.Grains.GetGrain<IIncidentGrain>("inc-skip-2");
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await political.ReportAsync(new("incident-skip", "Ongeval door gladheid", "Een fietser is gevallen op een ongestrooid pad.", Political: true))).Succeeded);
        Assert.Equal(EscalationLevel.AldermenCommittee, (await ViewAsync(political, ClusterFixture.Operator)).Level);
    }

    [Fact]
    public async Task Strangers_residents_and_bad_reports_are_refused_with_nothing_stored_and_a_level_decides_once()
    {
        var (members, executor) = await ArrangementAsync("incident-refused", 4520);
        var incident = fixture.Grains.GetGrain<IIncidentGrain>("inc-refused-1");

        CallerContext.Set(ClusterFixture.CitizenOf(members[0]));
        Assert.True((await incident.ReportAsync(new("incident-refused", "Gladheid", "Het is glad.", false))).IsRefusal);
        CallerContext.Set(ClusterFixture.ManagerOf("GM0363")); // a contract manager, but not of a member
        Assert.True((await incident.ReportAsync(new("incident-refused", "Gladheid", "Het is glad.", false))).IsRefusal);
        CallerContext.Set(ClusterFixture.ExecutorOf("some-other-executor"));
        Assert.True((await incident.ReportAsync(new("incident-refused", "Gladheid", "Het is glad.", false))).IsRefusal);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        var bad = await incident.ReportAsync(new("incident-refused", "", new string('x', Escalation.MaxText + 1), false));
        Assert.Equal([("title", ViolationCodes.Required), ("description", ViolationCodes.TooLong)], bad.Errors.Select(e => (e.Field, e.Code)));
        var unknown = await incident.ReportAsync(new("no-such-arrangement", "Gladheid", "Het is glad.", false));
        Assert.Equal([("arrangementId", ViolationCodes.NotFound)], unknown.Errors.Select(e => (e.Field, e.Code)));
        CallerContext.Set(ClusterFixture.Operator);
        Assert.Equal(ViolationCodes.NotFound, (await incident.ViewAsync()).Access.Errors[0].Code);

        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await incident.ReportAsync(new("incident-refused", "Gladheid", "Het is glad.", false))).Succeeded);
        Assert.Equal(ViolationCodes.AlreadyExists, (await incident.ReportAsync(new("incident-refused", "Nog eens", "Dubbel.", false))).Errors[0].Code);

        // Residents and strangers do not see it; operations decides once, without resolving, and no deadline moves it after that.
        CallerContext.Set(ClusterFixture.CitizenOf(members[0]));
        Assert.True((await incident.ViewAsync()).Access.IsRefusal);
        CallerContext.Set(ClusterFixture.ManagerOf("GM0363"));
        Assert.True((await incident.ViewAsync()).Access.IsRefusal);
        Assert.True((await incident.DecideAsync("Niets doen", resolves: false)).IsRefusal);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await incident.DecideAsync("Extra strooiwagen ingezet", resolves: false)).Succeeded);
        Assert.Equal(ViolationCodes.AlreadyExists, (await incident.DecideAsync("Nog een besluit", resolves: false)).Errors[0].Code);
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(5));
        await incident.TickAsync();
        var view = await ViewAsync(incident, ClusterFixture.Operator);
        Assert.Equal((EscalationLevel.Operations, IncidentStatus.Open, "Extra strooiwagen ingezet"), (view.Level, view.Status, view.Steps[0].Decision));
        Assert.Equal([EventTypes.IncidentReported, EventTypes.IncidentDecided], (await EventsAsync("inc-refused-1")).Select(e => e.Type));
    }
}
