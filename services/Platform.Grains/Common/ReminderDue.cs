namespace Platform.Grains.Common;

/// <summary>The due time of a reminder that should tick at a given moment.</summary>
public static class ReminderDue
{
    /// <summary>Reminders take a due time of at most about 49 days; a later moment is reached by re-arming on the way.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(30);

    /// <summary>From <paramref name="now"/> until <paramref name="at"/>, at least a second (a moment already past ticks at once) and at most <see cref="Longest"/>.</summary>
    public static TimeSpan Until(DateTimeOffset at, DateTimeOffset now)
    {
        var due = at - now;
        return due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due > Longest ? Longest : due;
    }
}
