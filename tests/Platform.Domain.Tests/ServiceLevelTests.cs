using Platform.Domain.ServiceLevels;

namespace Platform.Domain.Tests;

public sealed class ServiceLevelTests
{
    [Theory]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2038, "2038-04-25")]
    public void Easter_Sunday_falls_on_the_known_dates(int year, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected), DutchHolidays.EasterSunday(year));
    }

    [Fact]
    public void The_holidays_of_2026_are_the_Dutch_public_holidays()
    {
        var expected = new[] { "2026-01-01", "2026-04-03", "2026-04-06", "2026-04-27", "2026-05-05", "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-26" }
            .Select(DateOnly.Parse);

        Assert.Equal(expected.Order(), DutchHolidays.For(2026).Order());
    }

    [Fact]
    public void Kings_Day_moves_to_Saturday_when_the_27th_is_a_Sunday()
    {
        Assert.Contains(new DateOnly(2025, 4, 26), DutchHolidays.For(2025));
        Assert.DoesNotContain(new DateOnly(2025, 4, 27), DutchHolidays.For(2025));
    }

    [Theory]
    [InlineData("2026-11-27", 1, "2026-11-30")] // Friday + 1 working day = Monday
    [InlineData("2026-11-25", 2, "2026-11-27")] // Wednesday + 2 = Friday
    [InlineData("2026-12-24", 1, "2026-12-28")] // over Christmas and Boxing Day (a Saturday) and Sunday
    [InlineData("2026-04-02", 1, "2026-04-07")] // over Good Friday, the weekend and Easter Monday
    [InlineData("2026-11-28", 0, "2026-11-28")]
    public void Working_days_skip_weekends_and_holidays(string from, int days, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected), ServiceLevelClock.AddDays(DateOnly.Parse(from), days, DayCounting.WorkingDays));
    }

    [Fact]
    public void Calendar_days_count_every_day()
    {
        Assert.Equal(new DateOnly(2026, 12, 27), ServiceLevelClock.AddDays(new DateOnly(2026, 12, 24), 3, DayCounting.CalendarDays));
    }

    [Fact]
    public void The_due_date_counts_from_the_Amsterdam_date_of_filing()
    {
        // 23:30 UTC on a Thursday in winter is already Friday in Amsterdam.
        var level = new ServiceLevel(1, 5, DayCounting.WorkingDays);

        Assert.Equal(new DateOnly(2026, 11, 30), level.Due(DateTimeOffset.Parse("2026-11-26T23:30:00Z"), level.DaysToAcknowledge));
    }

    [Theory]
    [InlineData("2026-11-30T22:59:00Z", false)] // still the due date in Amsterdam
    [InlineData("2026-11-30T23:00:00Z", true)]
    public void A_step_on_the_due_date_is_on_time_and_after_it_overdue(string now, bool overdue)
    {
        Assert.Equal(overdue, ServiceLevelClock.IsOverdue(new DateOnly(2026, 11, 30), DateTimeOffset.Parse(now)));
    }

    [Fact]
    public void An_amsterdam_day_starts_at_local_midnight_in_winter_and_summer_time()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 23, 0, 0, TimeSpan.Zero), Platform.Domain.Calendar.AmsterdamCalendar.StartOf(new(2026, 1, 15)));
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 22, 0, 0, TimeSpan.Zero), Platform.Domain.Calendar.AmsterdamCalendar.StartOf(new(2026, 7, 1)));
        Assert.Equal(new DateOnly(2026, 7, 1), Platform.Domain.Calendar.AmsterdamCalendar.DateOf(Platform.Domain.Calendar.AmsterdamCalendar.StartOf(new(2026, 7, 1))));
    }
}

public sealed class ServiceLevelRulesTests
{
    [Theory]
    [InlineData(1, 1, new string[0])]
    [InlineData(365, 365, new string[0])]
    [InlineData(0, 5, new[] { "s.daysToAcknowledge" })]
    [InlineData(-1, -1, new[] { "s.daysToAcknowledge", "s.daysToResolve" })]
    [InlineData(5, 4, new[] { "s.daysToResolve" })]
    [InlineData(366, 400, new[] { "s.daysToAcknowledge", "s.daysToResolve" })]
    public void A_promise_needs_at_least_a_day_per_step_and_at_most_a_year(int acknowledge, int resolve, string[] fields)
    {
        var errors = new List<Platform.Domain.Validation.RuleViolation>();
        ServiceLevelRules.Validate(errors, "s", new ServiceLevel(acknowledge, resolve, DayCounting.WorkingDays));
        Assert.Equal(fields, errors.Select(e => e.Field));
    }

    [Fact]
    public void A_way_of_counting_that_does_not_exist_is_named()
    {
        var errors = new List<Platform.Domain.Validation.RuleViolation>();
        ServiceLevelRules.Validate(errors, "s", new ServiceLevel(1, 2, (DayCounting)7));
        Assert.Equal("s.counting", Assert.Single(errors).Field);
    }
}

public sealed class MembershipEndTests
{
    private static readonly DateOnly Joined = new(2026, 3, 1);
    private static readonly DateOnly Today = new(2026, 6, 1);

    [Theory]
    [InlineData(null, "2026-06-01", null)]
    [InlineData(null, "2027-01-01", null)]
    [InlineData("2026-12-31", "2027-01-01", "DUPLICATE")]
    [InlineData(null, null, "REQUIRED")]
    [InlineData(null, "2026-02-28", "OUT_OF_RANGE")]
    [InlineData(null, "2026-05-31", "OUT_OF_RANGE")]
    public void A_membership_ends_once_not_before_it_began_and_not_in_the_past(string? endsAlready, string? lastDay, string? code)
    {
        var errors = Platform.Domain.Arrangements.ArrangementRules.ValidateMembershipEnd("GM0405",
            endsAlready is null ? null : DateOnly.Parse(endsAlready), Joined, lastDay is null ? null : DateOnly.Parse(lastDay), Today);
        Assert.Equal(code, errors.SingleOrDefault()?.Code);
    }
}
