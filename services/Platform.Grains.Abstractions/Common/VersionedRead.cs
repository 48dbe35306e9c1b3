namespace Platform.Grains.Common;

/// <summary>
/// The answer to a read that names the version the caller already holds: whether the record exists, its current
/// version (its storage ETag), and its value only when that version is not the one the caller named. The grain
/// decides on every call, so what a caller serves from it is never older than the grain's stored state; what is
/// saved is copying an unchanged value across the network and reading it again.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("Platform.VersionedRead`1")]
public sealed record VersionedRead<T>(
    [property: Id(0)] bool Exists,
    [property: Id(1)] string? Version,
    [property: Id(2)] T? Value) where T : class
{
    public static VersionedRead<T> Missing { get; } = new(false, null, null);

    /// <summary>The value, unless the caller holds this version already (a null version is never held).</summary>
    public static VersionedRead<T> For(string? version, string? knownVersion, Func<T> value) =>
        version is not null && version == knownVersion ? new(true, version, null) : new(true, version, value());
}
