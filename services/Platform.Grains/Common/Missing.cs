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

    /// <summary>
    /// A read that names the version the caller holds (<see cref="VersionedRead{T}"/>): the record's storage ETag, and
    /// <paramref name="snapshot"/> only when the caller does not hold that version; <see cref="VersionedRead{T}.Missing"/>
    /// (and the activation goes) when there is no record.
    /// </summary>
    public static Task<VersionedRead<T>> ReadIfChanged<T, TState>(this Grain grain, IPersistentState<TState> state, string? knownVersion, Func<T> snapshot)
        where T : class
    {
        if (!state.RecordExists)
        {
            grain.Missing<T>();
            return Task.FromResult(VersionedRead<T>.Missing);
        }
        return Task.FromResult(VersionedRead<T>.For(state.Etag, knownVersion, snapshot));
    }
}
