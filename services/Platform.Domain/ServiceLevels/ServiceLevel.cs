using Platform.Domain.Calendar;

namespace Platform.Domain.ServiceLevels;

public enum DayCounting
{
    CalendarDays = 0,
    /// <summary>Monday to Friday, Dutch public holidays excepted.</summary>
    WorkingDays = 1,
}

/// <summary>What the executing organisation promised for a service: days to acknowledge, days to resolve.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceLevel(
    [property: Id(0)] int DaysToAcknowledge,
    [property: Id(1)] int DaysToResolve,
    [property: Id(2)] DayCounting Counting)
{
    public static ServiceLevel Default { get; } = new(2, 10, DayCounting.WorkingDays);

    /// <summary>The last day on which the promise is kept, counting from the day after <paramref name="start"/> (Amsterdam date).</summary>
    public DateOnly Due(DateTimeOffset start, int days) => ServiceLevelClock.AddDays(AmsterdamCalendar.DateOf(start), days, Counting);
}

/// <summary>What a promise may say: at least a day for each step, resolving no sooner than acknowledging, within a year.</summary>
public static class ServiceLevelRules
{
    public const int MaxDays = 365;

    public static void Validate(ICollection<Platform.Domain.Validation.RuleViolation> errors, string field, ServiceLevel level)
    {
        if (level.DaysToAcknowledge is < 1 or > MaxDays)
        {
            errors.Add(new($"{field}.daysToAcknowledge", Platform.Domain.Validation.ViolationCodes.OutOfRange,
                $"daysToAcknowledge must be 1 to {MaxDays} days; got {level.DaysToAcknowledge}."));
        }
        if (level.DaysToResolve < Math.Max(1, level.DaysToAcknowledge) || level.DaysToResolve > MaxDays)
        {
            errors.Add(new($"{field}.daysToResolve", Platform.Domain.Validation.ViolationCodes.OutOfRange,
                $"daysToResolve must be at least daysToAcknowledge ({level.DaysToAcknowledge}) and at least 1, and at most {MaxDays}; got {level.DaysToResolve}."));
        }
        if (!Enum.IsDefined(level.Counting))
        {
            errors.Add(new($"{field}.counting", Platform.Domain.Validation.ViolationCodes.InvalidFormat, $"'{level.Counting}' is not a way of counting days."));
        }
    }
}

public static class ServiceLevelClock
{
    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !DutchHolidays.IsHoliday(date);

    /// <summary>
    /// The date <paramref name="days"/> days after <paramref name="from"/>. In working days a request on a
    /// Friday with one day to go is due on Monday (or the next working day after a holiday).
    /// </summary>
    public static DateOnly AddDays(DateOnly from, int days, DayCounting counting)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        if (counting == DayCounting.CalendarDays) return from.AddDays(days);
        var date = from;
        var left = days;
        while (left > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date)) left--;
        }
        return date;
    }

    /// <summary>Overdue once the Amsterdam date is past the due date; a step taken on the due date is on time.</summary>
    public static bool IsOverdue(DateOnly due, DateTimeOffset now) => AmsterdamCalendar.DateOf(now) > due;
}
