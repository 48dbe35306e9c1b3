using Platform.Domain.Calendar;
using Platform.Domain.ServiceLevels;

namespace Platform.Domain.Complaints;

/// <summary>What the clock can still change on one complaint: its service-level dates and its automatic closing.</summary>
public sealed record ComplaintDeadlines(
    ComplaintStatus Status,
    DateOnly AcknowledgeBy,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? AcknowledgeOverdueSince,
    DateOnly ResolveBy,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ResolveOverdueSince,
    DateTimeOffset? SettledAt);

/// <summary>
/// When a complaint next needs the clock. A complaint is checked at the moments something can change (the
/// first Amsterdam day after a due date, the end of the automatic-closing period) and not in between, so the
/// number of checks does not grow with how long complaints stay open or with how many there are per hour.
/// </summary>
public static class ComplaintClock
{
    /// <summary>The first instant at which a check could change <paramref name="d"/>; null when the clock can change nothing any more.</summary>
    public static DateTimeOffset? NextCheck(ComplaintDeadlines d, WorkflowSettings settings)
    {
        DateTimeOffset? next = null;
        if (ComplaintWorkflow.Open.Contains(d.Status))
        {
            if (d.AcknowledgedAt is null && d.AcknowledgeOverdueSince is null) next = Earliest(next, OverdueFrom(d.AcknowledgeBy));
            if (d.ResolvedAt is null && d.ResolveOverdueSince is null) next = Earliest(next, OverdueFrom(d.ResolveBy));
        }
        if (d.Status == ComplaintStatus.Resolved && d.SettledAt is { } resolved)
        {
            next = Earliest(next, resolved.AddDays(settings.AutoCloseAfterDays));
        }
        return next;
    }

    /// <summary>The first instant <see cref="ServiceLevelClock.IsOverdue"/> is true for <paramref name="due"/>: midnight after it, Amsterdam time.</summary>
    public static DateTimeOffset OverdueFrom(DateOnly due) => AmsterdamCalendar.StartOf(due.AddDays(1));

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;
}
