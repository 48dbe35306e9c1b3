namespace Platform.Domain.Calendar;

/// <summary>Dates that take effect are calendar dates in the Netherlands, whatever the server's time zone.</summary>
public static class AmsterdamCalendar
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateOnly DateOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Amsterdam).DateTime);

    /// <summary>The instant as Amsterdam's wall clock shows it (for words in mails and feeds).</summary>
    public static DateTimeOffset LocalTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Amsterdam);

    public static DateOnly TodayInAmsterdam(this TimeProvider time) => DateOf(time.GetUtcNow());

    /// <summary>The instant the calendar day <paramref name="date"/> begins in Amsterdam (midnight, summer or winter time).</summary>
    public static DateTimeOffset StartOf(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, Amsterdam.GetUtcOffset(midnight));
    }

    /// <summary>The instant Amsterdam's wall clock shows <paramref name="time"/> on <paramref name="date"/> (summer or winter time).</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local));
    }

    /// <summary>The last second of the calendar day <paramref name="date"/> in Amsterdam (23:59:59 local time, with that day's offset).</summary>
    public static DateTimeOffset EndOf(DateOnly date)
    {
        var last = date.ToDateTime(new TimeOnly(23, 59, 59));
        return new DateTimeOffset(last, Amsterdam.GetUtcOffset(last));
    }
}
