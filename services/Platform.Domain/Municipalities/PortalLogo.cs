using Platform.Domain.Validation;

namespace Platform.Domain.Municipalities;

/// <summary>
/// A municipality's logo on its portal pages, as stored: the image decoded and encoded again (no metadata), in the
/// tenant's blob container under a name made from its hash, so a new logo is a new address and an old page never
/// shows a mix.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PortalLogo(
    [property: Id(0)] string BlobName,
    [property: Id(1)] string ContentType,
    [property: Id(2)] int Width,
    [property: Id(3)] int Height,
    [property: Id(4)] int Size,
    [property: Id(5)] string Sha256,
    [property: Id(6)] DateTimeOffset UploadedAt)
{
    /// <summary>The version in the logo's address (the first 16 hex digits of its hash).</summary>
    public string Version => Sha256[..Math.Min(16, Sha256.Length)];
}

/// <summary>What a logo must be: a small picture, wide rather than tall, of a size a header can show sharply.</summary>
public static class PortalLogoRules
{
    public const int MaxBytes = 512 * 1024;
    public const int MinHeight = 32;
    public const int MaxSide = 2_000;

    /// <summary>At most this many times as tall as it is wide: a header has room across, not down.</summary>
    public const double MaxTallness = 2;

    /// <summary>The problems of a decoded logo (field <c>logo</c>); empty when it may be used.</summary>
    public static IReadOnlyList<RuleViolation> Validate(int width, int height, int size)
    {
        var errors = new List<RuleViolation>();
        if (size > MaxBytes) errors.Add(new("logo", ViolationCodes.TooLong, $"A logo is at most {MaxBytes / 1024} KB; this one is {(size + 1023) / 1024} KB once stored."));
        if (width > MaxSide || height > MaxSide) errors.Add(new("logo", ViolationCodes.OutOfRange, $"A logo is at most {MaxSide} pixels on a side; this one is {width}×{height}."));
        if (height < MinHeight) errors.Add(new("logo", ViolationCodes.OutOfRange, $"A logo is at least {MinHeight} pixels high, to stay sharp in the header; this one is {height}."));
        if (height > width * MaxTallness) errors.Add(new("logo", ViolationCodes.OutOfRange, $"A logo is at most twice as tall as it is wide, to fit the header; this one is {width}×{height}."));
        return errors;
    }
}
