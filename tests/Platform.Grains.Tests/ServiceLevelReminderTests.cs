using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Complaints;
using Platform.Domain.ServiceLevels;
using Platform.Grains.Arrangements;
using Platform.Grains.Complaints;
using Platform.Grains.Municipalities;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Grains.Tests;

/// <summary>
/// The checks the service-level reminder runs, against a clock the tests move: overdue marks and
/// automatic closing. (The reminder only calls CheckServiceLevelAsync; waiting for real ticks would take hours.)
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceLevelReminderTests(ClusterFixture fixture)
{
    private async Task<IComplaintGrain> FileAsync(string arrangementId, string member)
    {
        CallerContext.Set(ClusterFixture.Operator);
        await fixture.Grains.GetGrain<IMunicipalityGrain>(member).OnboardAsync(new($"M {member}", 20_000, new(2024, 1, 1)));
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>(arrangementId);
        await arrangement.CreateAsync(new("Regeling", "Uitvoerder", [new("grofvuil", "Grofvuil", new(1, 3, DayCounting.CalendarDays))], VoteWeightRule.OnePerMember, await fixture.ExecutorAsync($"exec-{arrangementId}")));
        await arrangement.AddMemberAsync(new(member));
        CallerContext.Set(ClusterFixture.CitizenOf(member));
        var complaint = fixture.Grains.GetGrain<IComplaintGrain>($"c-{arrangementId}");
        var filed = await complaint.FileAsync(new(arrangementId, "grofvuil", "Not collected", new(null, null, "Dorpsstraat 1")));
        Assert.True(filed.Succeeded, string.Join("; ", filed.Errors.Select(e => e.Message)));
        return complaint;
    }

    [Fact]
    public async Task A_complaint_nobody_acknowledges_is_marked_overdue_once_its_dates_pass()
    {
        var complaint = await FileAsync("sl-overdue", "GM0510");
        await complaint.CheckServiceLevelAsync();
        CallerContext.Set(ClusterFixture.CitizenOf("GM0510"));
        Assert.Null((await complaint.GetAsync())!.AcknowledgeOverdueSince);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(5));
        await complaint.CheckServiceLevelAsync();
        await complaint.CheckServiceLevelAsync(); // a second tick changes nothing

        var snapshot = (await complaint.GetAsync())!;
        Assert.NotNull(snapshot.AcknowledgeOverdueSince);
        Assert.NotNull(snapshot.ResolveOverdueSince);
        Assert.Equal(2, snapshot.History.Count(h => h.Action == "overdue"));
        Assert.All(snapshot.History.Where(h => h.Action == "overdue"), h => Assert.Equal("system:service-level", h.Actor));
    }

    /// <summary>The stored reminder row of the complaint's clock, or null when it has none.</summary>
    private async Task<ReminderEntry?> ReminderOf(IComplaintGrain complaint)
    {
        var table = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var rows = await table.ReadRows(complaint.GetGrainId());
        return rows.Reminders.SingleOrDefault(r => r.ReminderName == ComplaintGrain.ServiceLevelReminder);
    }

    [Fact]
    public async Task The_reminder_ticks_when_the_next_date_passes_and_is_gone_when_the_clock_can_change_nothing()
    {
        var complaint = await FileAsync("sl-schedule", "GM0512");
        CallerContext.Set(ClusterFixture.CitizenOf("GM0512"));
        var filed = (await complaint.GetAsync())!;

        // Not hourly: one tick, at the first Amsterdam midnight after the acknowledge date.
        var first = await ReminderOf(complaint);
        Assert.NotNull(first);
        Assert.Equal(ComplaintClock.OverdueFrom(filed.AcknowledgeBy).UtcDateTime, first.StartAt, TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromDays(1), first.Period);

        CallerContext.Set(ClusterFixture.ExecutorOf("exec-sl-schedule"));
        Assert.True((await complaint.TransitionAsync(new(ComplaintAction.Acknowledge, null, null, null, null))).Succeeded);
        Assert.Equal(ComplaintClock.OverdueFrom(filed.ResolveBy).UtcDateTime, (await ReminderOf(complaint))!.StartAt, TimeSpan.FromSeconds(2));

        Assert.True((await complaint.TransitionAsync(new(ComplaintAction.Resolve, "Collected", null, null, null))).Succeeded);
        var resolvedAt = ClusterFixture.Clock.GetUtcNow();
        Assert.Equal(resolvedAt.AddDays(WorkflowSettings.Default.AutoCloseAfterDays).UtcDateTime, (await ReminderOf(complaint))!.StartAt, TimeSpan.FromSeconds(2));

        CallerContext.Set(ClusterFixture.CitizenOf("GM0512"));
        Assert.True((await complaint.TransitionAsync(new(ComplaintAction.Confirm, null, null, null, null))).Succeeded);
        Assert.Null(await ReminderOf(complaint));
    }

    [Fact]
    public async Task A_resolved_complaint_the_citizen_does_not_confirm_closes_after_fourteen_days()
    {
        var complaint = await FileAsync("sl-autoclose", "GM0511");
        CallerContext.Set(ClusterFixture.ExecutorOf("exec-sl-autoclose"));
        Assert.True((await complaint.TransitionAsync(new(ComplaintAction.Resolve, "Collected", null, null, null))).Succeeded);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(13));
        await complaint.CheckServiceLevelAsync();
        CallerContext.Set(ClusterFixture.CitizenOf("GM0511"));
        Assert.Equal(ComplaintStatus.Resolved, (await complaint.GetAsync())!.Status);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(1));
        await complaint.CheckServiceLevelAsync();

        var snapshot = (await complaint.GetAsync())!;
        Assert.Equal(ComplaintStatus.Closed, snapshot.Status);
        Assert.Equal("AutoClose", snapshot.History[^1].Action);
        Assert.Null(snapshot.ResolveOverdueSince);
    }
}
