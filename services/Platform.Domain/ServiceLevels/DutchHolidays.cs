namespace Platform.Domain.ServiceLevels;

/// <summary>
/// The public holidays on which municipal services in the Netherlands do not count working days:
/// New Year's Day, Good Friday, Easter Monday, King's Day (27 April, the 26th when the 27th is a
/// Sunday), Liberation Day (5 May), Ascension Day, Whit Monday, Christmas and Boxing Day. Easter and
/// Whit Sunday fall on Sundays and so are never working days anyway.
/// </summary>
public static class DutchHolidays
{
    public static IReadOnlySet<DateOnly> For(int year)
    {
        var easter = EasterSunday(year);
        var kingsDay = new DateOnly(year, 4, 27);
        if (kingsDay.DayOfWeek == DayOfWeek.Sunday) kingsDay = kingsDay.AddDays(-1);
        return new HashSet<DateOnly>
        {
            new(year, 1, 1),
            easter.AddDays(-2),   // Good Friday
            easter.AddDays(1),    // Easter Monday
            kingsDay,
            new(year, 5, 5),      // Liberation Day
            easter.AddDays(39),   // Ascension Day
            easter.AddDays(50),   // Whit Monday
            new(year, 12, 25),
            new(year, 12, 26),
        };
    }

    public static bool IsHoliday(DateOnly date) => For(date.Year).Contains(date);

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = (19 * a + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + 2 * e + 2 * i - h - k) % 7;
        var m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = ((h + l - 7 * m + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }
}
