using Platform.Domain.Proposals;

namespace Platform.Domain.Tests;

public sealed class ProposalClockTests
{
    private static DateTimeOffset Amsterdam(int year, int month, int day, int hour) =>
        new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.Zero) - TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam").GetUtcOffset(new DateTime(year, month, day, hour, 0, 0));

    private static ProposalSchedule Schedule(DateTimeOffset opens, DateTimeOffset closes) => new(opens.AddDays(-7), opens, closes);

    [Fact]
    public void The_reminder_is_two_working_days_before_the_close_at_the_same_hour()
    {
        // Closes Friday 13 March 2026 at 17:00: reminded on Wednesday at 17:00.
        Assert.Equal(Amsterdam(2026, 3, 11, 17), ProposalClock.ClosingSoonAt(Schedule(Amsterdam(2026, 3, 1, 9), Amsterdam(2026, 3, 13, 17))));
        // Closes Monday: the weekend does not count, so Thursday.
        Assert.Equal(Amsterdam(2026, 3, 12, 10), ProposalClock.ClosingSoonAt(Schedule(Amsterdam(2026, 3, 1, 9), Amsterdam(2026, 3, 16, 10))));
        // Closes Tuesday 7 April 2026: Easter Monday, the weekend and Good Friday (the calendar of the service levels) do not count, so Wednesday 1 April.
        Assert.Equal(Amsterdam(2026, 4, 1, 12), ProposalClock.ClosingSoonAt(Schedule(Amsterdam(2026, 3, 20, 9), Amsterdam(2026, 4, 7, 12))));
    }

    [Fact]
    public void The_reminder_keeps_Amsterdams_wall_clock_across_the_change_to_summer_time()
    {
        // Closes Tuesday 31 March 2026 at 17:00 summer time (15:00 UTC); reminded Friday 27 March at 17:00 winter time (16:00 UTC).
        var soon = ProposalClock.ClosingSoonAt(Schedule(Amsterdam(2026, 3, 16, 9), Amsterdam(2026, 3, 31, 17)));
        Assert.Equal(new DateTimeOffset(2026, 3, 27, 16, 0, 0, TimeSpan.Zero), soon);
    }

    [Fact]
    public void A_vote_too_short_for_a_reminder_gets_none()
    {
        Assert.Null(ProposalClock.ClosingSoonAt(Schedule(Amsterdam(2026, 3, 12, 9), Amsterdam(2026, 3, 13, 17))));
    }

    [Fact]
    public void The_next_check_walks_through_opening_reminder_and_close_and_ends_when_closed()
    {
        var schedule = Schedule(Amsterdam(2026, 3, 1, 9), Amsterdam(2026, 3, 13, 17));
        Assert.Equal(schedule.VotingOpensAt, ProposalClock.NextCheck(schedule, votingOpenAnnounced: false, closingSoonAnnounced: false, closed: false));
        Assert.Equal(Amsterdam(2026, 3, 11, 17), ProposalClock.NextCheck(schedule, true, false, false));
        Assert.Equal(schedule.VotingClosesAt, ProposalClock.NextCheck(schedule, true, true, false));
        Assert.Null(ProposalClock.NextCheck(schedule, true, true, closed: true));
        var short_ = Schedule(Amsterdam(2026, 3, 12, 9), Amsterdam(2026, 3, 13, 17));
        Assert.Equal(short_.VotingClosesAt, ProposalClock.NextCheck(short_, true, false, false));
    }
}
