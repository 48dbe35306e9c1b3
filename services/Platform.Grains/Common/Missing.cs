namespace Platform.Grains.Common;

public static class MissingExtensions
{
    /// <summary>
    /// The answer of a read that found nothing: null, and the activation goes as soon as it is idle, so that
    /// lookups of ids that do not exist (guessed or mistyped) cost one storage read each and never pile up
    /// in memory. A create that follows simply activates the grain again.
    /// </summary>
    public static T? Missing<T>(this Grain grain) where T : class
    {
        grain.DeactivateOnIdle();
        return null;
    }
}
