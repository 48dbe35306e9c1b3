using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Complaints;
using Platform.Domain.ServiceLevels;
using Platform.Grains.Arrangements;
using Platform.Grains.Complaints;
using Platform.Grains.Municipalities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Grains.Tests;

/// <summary>
/// The checks of the service-level clock, against a clock the tests move: overdue marks and automatic closing, the
/// next moment in each complaint's list row, and the sweep that checks the rows that are due. (Its reminder only calls
/// the sweep each minute; the tests run the sweep themselves.)
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

    /// <summary>The stored reminder row of the complaint's own clock (complaints filed before the sweep), or null when it has none.</summary>
    private async Task<ReminderEntry?> ReminderOf(IComplaintGrain complaint)
    {
        var table = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var rows = await table.ReadRows(complaint.GetGrainId());
        return rows.Reminders.SingleOrDefault(r => r.ReminderName == ComplaintGrain.ServiceLevelReminder);
    }

    /// <summary>The next check the complaint's list row carries for the sweep (null: none).</summary>
    private async Task<DateTimeOffset?> NextCheckOf(string id)
    {
        await using var db = await fixture.Store.CreateDbContextAsync();
        var row = await db.Complaints.AsNoTracking().SingleAsync(r => r.Id == id);
        return row.NextCheckAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;
    }

    private Task<ServiceLevelSweep> SweepAsync()
    {
        using var system = CallerContext.As(Caller.System("test"));
        return fixture.Grains.GetGrain<IServiceLevelSweepGrain>(ServiceLevelSweepGrain.Key).SweepNowAsync();
    }

    [Fact]
    public async Task The_list_row_carries_the_next_moment_of_the_clock_and_none_once_the_clock_can_change_nothing()
    {
        var complaint = await FileAsync("sl-schedule", "GM0512");
        CallerContext.Set(ClusterFixture.CitizenOf("GM0512"));
        var filed = (await complaint.GetAsync())!;

        // No reminder of its own; the first Amsterdam midnight after the acknowledge date, in its row.
        Assert.Null(await ReminderOf(complaint));
        Assert.Equal(ComplaintClock.OverdueFrom(filed.AcknowledgeBy), await NextCheckOf("c-sl-schedule"));

        CallerContext.Set(ClusterFixture.ExecutorOf("exec-sl-schedule"));
        Assert.True((await complaint.TransitionAsync(new(ComplaintAction.Acknowledge, null, null, null, null))).Succeeded);
        Assert.Equal(ComplaintClock.OverdueFrom(filed.ResolveBy), await NextCheckOf("c-sl-schedule"));

        Assert.True((await complaint.TransitionAsync(new(ComplaintAction.Resolve, "Collected", null, null, null))).Succeeded);
        var resolvedAt = ClusterFixture.Clock.GetUtcNow();
        Assert.Equal(resolvedAt.AddDays(WorkflowSettings.Default.AutoCloseAfterDays), (await NextCheckOf("c-sl-schedule"))!.Value, TimeSpan.FromMilliseconds(1));

        CallerContext.Set(ClusterFixture.CitizenOf("GM0512"));
        Assert.True((await complaint.TransitionAsync(new(ComplaintAction.Confirm, null, null, null, null))).Succeeded);
        Assert.Null(await NextCheckOf("c-sl-schedule"));
        Assert.Null(await ReminderOf(complaint));
    }

    [Fact]
    public async Task The_sweep_checks_the_complaints_that_are_due_and_leaves_the_others()
    {
        var due = await FileAsync("sl-sweep-due", "GM0513");
        var later = await FileAsync("sl-sweep-later", "GM0514");
        CallerContext.Set(ClusterFixture.ExecutorOf("exec-sl-sweep-later"));
        Assert.True((await later.TransitionAsync(new(ComplaintAction.Acknowledge, null, null, null, null))).Succeeded);
        var laterNext = await NextCheckOf("c-sl-sweep-later");

        // A minute past the acknowledge date's end (1 day), before the resolve date's (3 days).
        var dueAt = (await NextCheckOf("c-sl-sweep-due"))!.Value;
        Assert.True(laterNext > dueAt.AddMinutes(1));
        ClusterFixture.Clock.Advance(dueAt.AddMinutes(1) - ClusterFixture.Clock.GetUtcNow());
        var sweep = await SweepAsync();

        // (The sweep's own reminder may have run first, as the clock jumped: a grain runs one sweep at a time, so it is done.)
        Assert.True(sweep.Failed == 0 && sweep.Complete, sweep.ToString());
        CallerContext.Set(ClusterFixture.CitizenOf("GM0513"));
        var checkedOne = (await due.GetAsync())!;
        Assert.NotNull(checkedOne.AcknowledgeOverdueSince);
        Assert.Null(checkedOne.ResolveOverdueSince);
        Assert.Equal(ComplaintClock.OverdueFrom(checkedOne.ResolveBy), await NextCheckOf("c-sl-sweep-due"));
        CallerContext.Set(ClusterFixture.CitizenOf("GM0514"));
        var untouched = (await later.GetAsync())!;
        Assert.Null(untouched.ResolveOverdueSince);
        Assert.DoesNotContain(untouched.History, h => h.Actor == ComplaintGrain.ServiceLevelActor);
        Assert.Equal(laterNext, await NextCheckOf("c-sl-sweep-later"));

        // Nothing is due any more: a second sweep checks neither.
        var version = checkedOne.History.Count;
        await SweepAsync();
        CallerContext.Set(ClusterFixture.CitizenOf("GM0513"));
        Assert.Equal(version, (await due.GetAsync())!.History.Count);
    }

    [Fact]
    public async Task A_sweep_reads_the_due_rows_page_after_page_and_checks_each_once()
    {
        // More complaints due at one moment than one page of the sweep holds.
        await FileAsync("sl-pages", "GM0516");
        CallerContext.Set(ClusterFixture.CitizenOf("GM0516"));
        var ids = new List<string> { "c-sl-pages" };
        for (var i = 0; i < ServiceLevelSweepGrain.Batch + 10; i++)
        {
            var id = $"c-sl-pages-{i:D3}";
            var filed = await fixture.Grains.GetGrain<IComplaintGrain>(id).FileAsync(new("sl-pages", "grofvuil", $"Not collected {i}", new(null, null, "Dorpsstraat 3")));
            Assert.True(filed.Succeeded, id);
            ids.Add(id);
        }
        var dueAt = (await NextCheckOf("c-sl-pages"))!.Value;
        ClusterFixture.Clock.Advance(dueAt.AddMinutes(1) - ClusterFixture.Clock.GetUtcNow());

        var sweep = await SweepAsync();

        Assert.True(sweep.Failed == 0 && sweep.Complete, sweep.ToString());
        foreach (var id in ids)
        {
            var complaint = (await fixture.Grains.GetGrain<IComplaintGrain>(id).GetAsync())!;
            Assert.NotNull(complaint.AcknowledgeOverdueSince);
            Assert.Single(complaint.History, h => h.Actor == ComplaintGrain.ServiceLevelActor);
        }
    }

    [Fact]
    public async Task A_sweep_goes_on_past_a_page_of_rows_that_stay_due_to_the_complaints_behind_them()
    {
        // A page's worth of rows that a check leaves due (their complaints were never stored, so nothing moves their
        // moment on), due before a real complaint. A sweep that read from the start of the due rows each time would
        // read the same page again until its budget ran out and never reach the complaint.
        var complaint = await FileAsync("sl-stuck", "GM0517");
        var dueAt = (await NextCheckOf("c-sl-stuck"))!.Value;
        var stuck = Enumerable.Range(0, ServiceLevelSweepGrain.Batch).Select(i => $"c-sl-stuck-gone-{i:D3}").ToList();
        await using (var db = await fixture.Store.CreateDbContextAsync())
        {
            db.Complaints.AddRange(stuck.Select(id => new Platform.ReadModel.ComplaintRow
            {
                Id = id, Version = 1, ArrangementId = "sl-stuck", Municipality = "GM0517", AuthorSubject = "citizen@gm0517",
                ServiceCode = "grofvuil", Status = "Submitted", Description = "gone", FiledAt = 0, UpdatedAt = 0,
                ResolveBy = new(2020, 1, 1), NextCheckAt = dueAt.AddHours(-1).ToUnixTimeMilliseconds(),
            }));
            await db.SaveChangesAsync();
        }
        try
        {
            ClusterFixture.Clock.Advance(dueAt.AddMinutes(1) - ClusterFixture.Clock.GetUtcNow());

            var sweep = await SweepAsync();

            // (The sweep's own reminder may have run first, as the clock jumped, and checked the complaint already.)
            Assert.True(sweep.Complete && sweep.Checked >= ServiceLevelSweepGrain.Batch, sweep.ToString());
            CallerContext.Set(ClusterFixture.CitizenOf("GM0517"));
            Assert.NotNull((await complaint.GetAsync())!.AcknowledgeOverdueSince);
        }
        finally
        {
            await using var db = await fixture.Store.CreateDbContextAsync();
            await db.Complaints.Where(r => stuck.Contains(r.Id)).ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task Only_the_platform_runs_the_sweep()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => fixture.Grains.GetGrain<IServiceLevelSweepGrain>(ServiceLevelSweepGrain.Key).SweepNowAsync());
    }

    [Fact]
    public async Task A_complaint_filed_before_the_sweep_moves_to_it_at_the_tick_of_its_own_reminder()
    {
        // As a complaint filed before the sweep was stored: its state without the sweep's mark, and a reminder row of its own.
        await FileAsync("sl-legacy", "GM0515"); // the arrangement and its member
        var id = "c-sl-legacy-old";
        var complaint = fixture.Grains.GetGrain<IComplaintGrain>(id);
        var now = ClusterFixture.Clock.GetUtcNow();
        var today = Platform.Domain.Calendar.AmsterdamCalendar.DateOf(now);
        var old = new ComplaintState
        {
            ArrangementId = "sl-legacy", ServiceCode = "grofvuil", ServiceName = "Grofvuil", Description = "Filed last week",
            Location = new(null, null, "Dorpsstraat 2"), AuthorSubject = "citizen@GM0515", Municipality = "GM0515",
            ExecutingOrganisation = "exec-sl-legacy", Status = ComplaintStatus.Submitted, FiledAt = now.AddDays(-7),
            AcknowledgeBy = today.AddDays(-6), ResolveBy = today.AddDays(3), Version = 1,
        };
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(StorageNames.Grains);
        await storage.WriteStateAsync("complaint", complaint.GetGrainId(), new GrainState<ComplaintState>(old));
        var table = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        await table.UpsertRow(new ReminderEntry { GrainId = complaint.GetGrainId(), ReminderName = ComplaintGrain.ServiceLevelReminder, StartAt = now.UtcDateTime, Period = TimeSpan.FromDays(1) });

        await complaint.AsReference<IRemindable>().ReceiveReminder(ComplaintGrain.ServiceLevelReminder, new TickStatus(now.UtcDateTime, TimeSpan.FromDays(1), now.UtcDateTime));

        CallerContext.Set(ClusterFixture.CitizenOf("GM0515"));
        var snapshot = (await complaint.GetAsync())!;
        Assert.NotNull(snapshot.AcknowledgeOverdueSince);
        Assert.Null(await ReminderOf(complaint));
        Assert.Equal(ComplaintClock.OverdueFrom(old.ResolveBy), await NextCheckOf(id));
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
