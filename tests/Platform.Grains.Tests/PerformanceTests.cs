using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Calendar;
using Platform.Domain.Events;
using Platform.Domain.Performance;
using Platform.Domain.Proposals;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;
using Platform.Grains.Notifications;
using Platform.Grains.Organisations;
using Platform.Grains.Performance;
using Platform.Grains.Proposals;
using Platform.ReadModel;

namespace Platform.Grains.Tests;

/// <summary>
/// Performance agreements in the cluster on a moved clock: the members set a reported and a complaint-based indicator;
/// after the month the executing organisation reports its figure (compared with the target at once), the platform
/// measures the complaints (per member as well); each deviation is an event once and a mail to the members' contract
/// managers; everything survives the grain's deactivation and a second measurement adds nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PerformanceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Figures_are_compared_with_their_targets_when_they_arrive_and_each_deviation_is_told_once()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var executor = await fixture.ExecutorAsync("exec-prestatie");
        const string id = "prestatie-gladheid";
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>(id);
        Assert.True((await arrangement.CreateAsync(new("Gladheid prestaties", "Strooidienst", [new("strooien", "Strooien")], VoteWeightRule.OnePerMember, executor))).Succeeded);
        string[] members = ["GM4540", "GM4541"];
        foreach (var code in members)
        {
            CallerContext.Set(ClusterFixture.Operator);
            await fixture.Grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Gemeente {code}", 20_000, new(2024, 1, 1)));
            Assert.True((await arrangement.AddMemberAsync(new(code))).Succeeded);
            var organisation = fixture.Grains.GetGrain<IOrganisationGrain>(code);
            for (var i = 0; i < 20 && await organisation.GetAsync() is null; i++) await Task.Delay(50); // registered by the municipality's outbox
            Assert.True((await organisation.InviteAsync(new($"cm@{code.ToLowerInvariant()}.example", "Contractmanager", Roles.ContractManager))).Succeeded);
        }
        CallerContext.Set(ClusterFixture.Operator);
        Assert.True((await fixture.Grains.GetGrain<IOrganisationGrain>(executor).InviteAsync(new("directie@prestatie.example", "Directie", Roles.ExecutorAdmin))).Succeeded);

        var agreement = fixture.Grains.GetGrain<IPerformanceAgreementGrain>(id);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await agreement.DefineIndicatorAsync(new("Veiligheid", "Hoofdroutes", "%", 95, IndicatorDirection.AtLeast, ReportingPeriod.Month, null, null))).IsRefusal);
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        Assert.True((await agreement.DefineIndicatorAsync(new("Veiligheid", "Hoofdroutes binnen twee uur gestrooid", "%", 95, IndicatorDirection.AtLeast, ReportingPeriod.Month, null, null))).Succeeded);
        Assert.True((await agreement.DefineIndicatorAsync(new("Dienstverlening", "Meldingen op tijd afgehandeld", null, 90, IndicatorDirection.AtLeast, ReportingPeriod.Month, IndicatorSource.ComplaintsOnTime, "strooien"))).Succeeded);

        // Three complaints about gritting resolved this month: GM4540 one on time and one late, GM4541 one on time.
        var month = PerformanceRules.NameOf(ReportingPeriod.Month, ClusterFixture.Clock.TodayInAmsterdam());
        var now = ClusterFixture.Clock.GetUtcNow();
        var today = AmsterdamCalendar.DateOf(now);
        await using (var db = await fixture.Store.CreateDbContextAsync())
        {
            ComplaintRow Row(string key, string municipality, DateOnly resolveBy) => new()
            {
                Id = $"c-prestatie-{key}", ArrangementId = id, Municipality = municipality, ServiceCode = "strooien", Status = "Resolved", Description = "Gladde weg",
                FiledAt = now.AddDays(-2).ToUnixTimeMilliseconds(), ResolvedAt = now.ToUnixTimeMilliseconds(), ResolveBy = resolveBy, AuthorSubject = "citizen",
            };
            db.Complaints.AddRange(Row("1", members[0], today), Row("2", members[0], today.AddDays(-1)), Row("3", members[1], today.AddDays(3)));
            await db.SaveChangesAsync();
        }

        // Before the month has ended, its figure is not reported yet.
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        var early = await agreement.ReportAsync(new("ind-1", month, 96, "%", null));
        if (PerformanceRules.Parse(ReportingPeriod.Month, month)!.Value.To > today) Assert.Equal([ViolationCodes.NotOpen], early.Errors.Select(e => e.Code));

        var nextMonth = PerformanceRules.FirstDayOfPeriod(ReportingPeriod.Month, today).AddMonths(1);
        ClusterFixture.Clock.Advance(AmsterdamCalendar.StartOf(nextMonth.AddDays(1)) - ClusterFixture.Clock.GetUtcNow() + TimeSpan.FromHours(2));

        Assert.Equal([("unit", ViolationCodes.UnitMismatch)], (await agreement.ReportAsync(new("ind-1", month, 91.5m, "procent", null))).Errors.Select(e => (e.Field, e.Code)));
        Assert.Equal([("period", ViolationCodes.InvalidFormat)], (await agreement.ReportAsync(new("ind-1", "2026-Q4", 91.5m, "%", null))).Errors.Select(e => (e.Field, e.Code)));
        CallerContext.Set(ClusterFixture.ExecutorOf("exec-elders"));
        Assert.True((await agreement.ReportAsync(new("ind-1", month, 99, "%", null))).IsRefusal); // another organisation does not report here
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await agreement.ReportAsync(new("ind-1", month, 91.5m, "%", "Twee strooiwagens defect"))).Succeeded);
        Assert.Equal([ViolationCodes.AlreadyExists], (await agreement.ReportAsync(new("ind-1", month, 97, "%", null))).Errors.Select(e => e.Code));
        Assert.Equal([ViolationCodes.IllegalTransition], (await agreement.ReportAsync(new("ind-2", month, 97, "%", null))).Errors.Select(e => e.Code));

        await agreement.TickAsync();
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await agreement.TickAsync(); // measured once: a second round adds nothing

        CallerContext.Set(ClusterFixture.ManagerOf(members[1]));
        var view = await agreement.ViewAsync();
        Assert.True(view.Access.Succeeded);
        var figures = view.Agreement!.Figures.OrderBy(f => f.IndicatorKey).ToList();
        Assert.Equal([("ind-1", month, 91.5m, true, "staff@exec-prestatie"), ("ind-2", month, 66.7m, true, PerformanceAgreementGrain.PlatformReporter)],
            figures.Select(f => (f.IndicatorKey, f.Period, f.Value, f.Deviation, f.ReportedBy)));
        Assert.Equal([(members[0], 50m, 2), (members[1], 100m, 1)], figures[1].Members.Select(m => (m.Municipality, m.Value, m.Complaints)));
        Assert.Equal(new PerformanceCapabilities(true, false, true), view.Agreement.ViewerCan);
        Assert.Equal(GoalState.Attention, PerformanceRules.Overall(PerformanceRules.Rollup(view.Agreement.Indicators, view.Agreement.Figures)));

        CallerContext.Set(ClusterFixture.CitizenOf(members[0]));
        Assert.True((await agreement.ViewAsync()).Access.IsRefusal); // residents do not see the parties' agreements

        await fixture.DrainNotificationsAsync();
        await using (var db = await fixture.Store.CreateDbContextAsync())
        {
            var events = await db.Events.AsNoTracking().Where(e => e.ArrangementId == id && e.Type.StartsWith(EventTypes.Prefix + "performance.")).OrderBy(e => e.Sequence).ToListAsync();
            Assert.Equal([$"performance:{id}:ind-1:{month}", $"performance:{id}:ind-2:{month}"], events.Select(e => e.Id));
            Assert.All(events, e => Assert.Equal(EventTypes.PerformanceDeviation, e.Type));
            var told = EventData.Arrangement(EventJson.Event(events[0]))!;
            Assert.Equal((91.5m, 95m, "%", month), (told.Amount!.Value, told.Target!.Value, told.Unit, told.Period));
        }
        foreach (var address in new[] { "cm@gm4540.example", "cm@gm4541.example", "directie@prestatie.example" })
        {
            Assert.Equal([$"Afwijking {month}: Hoofdroutes binnen twee uur gestrooid", $"Afwijking {month}: Meldingen op tijd afgehandeld"],
                ClusterFixture.MailTo(address).Select(m => m.Subject).Order(StringComparer.Ordinal));
        }

        // The transition period ends by a decision: an open proposal is not one, the adopted one is.
        CallerContext.Set(ProposalGrainTests.BoardOf(members[0]));
        var proposal = fixture.Grains.GetGrain<IProposalGrain>("p-prestatie-definitief");
        Assert.True((await proposal.ProposeAsync(new(id, new(ProposalKind.PolicyDecision, "Prestatieafspraken definitief", "De overgangsperiode is voorbij", "De indicatoren gelden definitief.", null, null, null), null))).Succeeded);
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        Assert.Equal([("proposalId", ViolationCodes.IllegalTransition)], (await agreement.MakeDefinitiveAsync("p-prestatie-definitief")).Errors.Select(e => (e.Field, e.Code)));
        foreach (var member in members)
        {
            CallerContext.Set(ProposalGrainTests.BoardOf(member));
            Assert.True((await proposal.CastVoteAsync(VoteChoice.Yes)).Succeeded);
        }
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        await proposal.TickAsync();
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await agreement.MakeDefinitiveAsync("p-prestatie-definitief")).IsRefusal); // the executing organisation does not decide it
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        Assert.True((await agreement.MakeDefinitiveAsync("p-prestatie-definitief")).Succeeded);
        Assert.Equal([ViolationCodes.AlreadyExists], (await agreement.MakeDefinitiveAsync("p-prestatie-definitief")).Errors.Select(e => e.Code));
        Assert.Equal([ViolationCodes.IllegalTransition], (await agreement.DefineIndicatorAsync(new("Veiligheid", "Nieuw", "%", 1, IndicatorDirection.AtLeast, ReportingPeriod.Month, null, null))).Errors.Select(e => e.Code));
        Assert.Equal([ViolationCodes.IllegalTransition], (await agreement.RemoveIndicatorAsync("ind-2")).Errors.Select(e => e.Code));
        var definitive = (await agreement.ViewAsync()).Agreement!;
        Assert.Equal((AgreementStatus.Definitive, "p-prestatie-definitief", 2), (definitive.Status, definitive.DefinitiveBy, definitive.Indicators.Count));
        Assert.Equal(new PerformanceCapabilities(false, false, false), definitive.ViewerCan);
        await using (var db = await fixture.Store.CreateDbContextAsync())
        {
            Assert.Equal(1, await db.Events.CountAsync(e => e.Id == $"performance:{id}:definitive" && e.Type == EventTypes.PerformanceDefinitive));
        }
    }
}
