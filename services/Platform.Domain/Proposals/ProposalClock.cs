using Platform.Domain.Calendar;
using Platform.Domain.ServiceLevels;

namespace Platform.Domain.Proposals;

/// <summary>The moments in a proposal's life that someone is told of, and when its reminder must next wake it.</summary>
public static class ProposalClock
{
    public const int ClosingSoonWorkingDays = 2;

    /// <summary>
    /// Two working days before voting closes, at the same time of day (Amsterdam): a vote closing on Friday at 17:00
    /// reminds on Wednesday at 17:00; one closing on a Tuesday after Easter Monday reminds on the Thursday before.
    /// Null when that moment is not after voting opens (a short vote): the board was just told that voting opened.
    /// </summary>
    public static DateTimeOffset? ClosingSoonAt(ProposalSchedule schedule)
    {
        var closes = AmsterdamCalendar.LocalTime(schedule.VotingClosesAt);
        var date = DateOnly.FromDateTime(closes.DateTime);
        for (var left = ClosingSoonWorkingDays; left > 0;)
        {
            date = date.AddDays(-1);
            if (ServiceLevelClock.IsWorkingDay(date)) left--;
        }
        var at = AmsterdamCalendar.StartOf(date) + closes.TimeOfDay;
        return at > schedule.VotingOpensAt ? at : null;
    }

    /// <summary>
    /// When the proposal must next be looked at: voting opening (if that was not announced yet), the closing
    /// reminder, the close; null once it is closed. A moment already passed but not yet handled is due at once.
    /// </summary>
    public static DateTimeOffset? NextCheck(ProposalSchedule schedule, bool votingOpenAnnounced, bool closingSoonAnnounced, bool closed)
    {
        if (closed) return null;
        if (!votingOpenAnnounced) return schedule.VotingOpensAt;
        if (!closingSoonAnnounced && ClosingSoonAt(schedule) is { } soon) return soon;
        return schedule.VotingClosesAt;
    }
}
