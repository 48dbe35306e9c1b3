namespace Platform.Domain.Calendar;

/// <summary>Dates that take effect are calendar dates in the Netherlands, whatever the server's time zone.</summary>
public static class AmsterdamCalendar
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateOnly DateOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Amsterdam).DateTime);

    public static DateOnly TodayInAmsterdam(this TimeProvider time) => DateOf(time.GetUtcNow());
}
