using Platform.Domain.Complaints;
using Platform.Domain.ServiceLevels;

namespace Platform.Domain.Tests;

public sealed class ComplaintClockTests
{
    private static readonly DateOnly AckBy = new(2026, 3, 3);
    private static readonly DateOnly ResolveBy = new(2026, 3, 10);
    private static readonly DateTimeOffset Filed = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static ComplaintDeadlines Fresh(ComplaintStatus status = ComplaintStatus.Submitted) =>
        new(status, AckBy, null, null, ResolveBy, null, null, null);

    [Fact]
    public void A_new_complaint_is_next_checked_when_acknowledging_becomes_overdue()
    {
        var next = ComplaintClock.NextCheck(Fresh(), WorkflowSettings.Default);

        // Midnight after the due date in Amsterdam (winter time, UTC+1) is 23:00 UTC on the due date.
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 23, 0, 0, TimeSpan.Zero), next);
        Assert.False(ServiceLevelClock.IsOverdue(AckBy, next!.Value.AddSeconds(-1)));
        Assert.True(ServiceLevelClock.IsOverdue(AckBy, next.Value));
    }

    [Fact]
    public void The_overdue_moment_follows_summer_time()
    {
        var due = new DateOnly(2026, 7, 1);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 22, 0, 0, TimeSpan.Zero), ComplaintClock.OverdueFrom(due));
    }

    [Fact]
    public void Once_acknowledged_the_next_check_is_the_resolve_date()
    {
        var acknowledged = Fresh(ComplaintStatus.Acknowledged) with { AcknowledgedAt = Filed.AddHours(2) };
        Assert.Equal(ComplaintClock.OverdueFrom(ResolveBy), ComplaintClock.NextCheck(acknowledged, WorkflowSettings.Default));
    }

    [Fact]
    public void A_date_already_marked_overdue_is_not_checked_again()
    {
        var marked = Fresh() with { AcknowledgeOverdueSince = ComplaintClock.OverdueFrom(AckBy) };
        Assert.Equal(ComplaintClock.OverdueFrom(ResolveBy), ComplaintClock.NextCheck(marked, WorkflowSettings.Default));

        var both = marked with { ResolveOverdueSince = ComplaintClock.OverdueFrom(ResolveBy) };
        Assert.Null(ComplaintClock.NextCheck(both, WorkflowSettings.Default));
    }

    [Fact]
    public void A_resolved_complaint_is_next_checked_when_it_may_close_by_itself()
    {
        var resolvedAt = Filed.AddDays(1);
        var resolved = Fresh(ComplaintStatus.Resolved) with { AcknowledgedAt = resolvedAt, ResolvedAt = resolvedAt, SettledAt = resolvedAt };
        var next = ComplaintClock.NextCheck(resolved, WorkflowSettings.Default);

        Assert.Equal(resolvedAt.AddDays(WorkflowSettings.Default.AutoCloseAfterDays), next);
        // The workflow agrees: closing automatically is refused a second before and allowed at that moment.
        var request = new TransitionRequest(ComplaintAction.AutoClose, ComplaintRole.System);
        Assert.NotNull(ComplaintWorkflow.Decide(ComplaintStatus.Resolved, request, resolvedAt, next!.Value.AddSeconds(-1), WorkflowSettings.Default, "c").Error);
        Assert.Null(ComplaintWorkflow.Decide(ComplaintStatus.Resolved, request, resolvedAt, next.Value, WorkflowSettings.Default, "c").Error);
    }

    [Theory]
    [InlineData(ComplaintStatus.Closed)]
    [InlineData(ComplaintStatus.Rejected)]
    [InlineData(ComplaintStatus.Duplicate)]
    public void A_settled_complaint_needs_the_clock_no_more(ComplaintStatus status)
    {
        Assert.Null(ComplaintClock.NextCheck(Fresh(status) with { SettledAt = Filed }, WorkflowSettings.Default));
    }

    [Fact]
    public void A_reopened_complaint_runs_its_remaining_dates_again()
    {
        // Reopened after it was resolved: acknowledged and resolved before, so only dates not yet met could run;
        // both were met, so nothing is due until it is resolved again.
        var reopened = Fresh(ComplaintStatus.Reopened) with { AcknowledgedAt = Filed, ResolvedAt = Filed.AddDays(1), SettledAt = Filed.AddDays(1) };
        Assert.Null(ComplaintClock.NextCheck(reopened, WorkflowSettings.Default));

        var reopenedUnacknowledged = Fresh(ComplaintStatus.Reopened);
        Assert.Equal(ComplaintClock.OverdueFrom(AckBy), ComplaintClock.NextCheck(reopenedUnacknowledged, WorkflowSettings.Default));
    }
}
