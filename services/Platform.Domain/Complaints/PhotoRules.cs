using Platform.Domain.Validation;

namespace Platform.Domain.Complaints;

/// <summary>What a complaint's photo may be: JPEG, PNG or WebP by its bytes (not its name), at most 10 MB, at most 5 per complaint.</summary>
public static class PhotoRules
{
    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxPerComplaint = 5;

    /// <summary>The image type the first bytes prove, or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return "image/jpeg";
        if (head.Length >= 8 && head[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return "image/png";
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        return null;
    }

    public static string Extension(string contentType) => contentType switch
    {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "webp",
    };

    public static RuleViolation? Check(ReadOnlySpan<byte> photo, int alreadyAttached)
    {
        if (alreadyAttached >= MaxPerComplaint)
            return new("photo", ViolationCodes.TooLong, $"A complaint has at most {MaxPerComplaint} photos; this one has {alreadyAttached} already.");
        if (photo.Length == 0)
            return new("photo", ViolationCodes.Required, "The photo is empty.");
        if (photo.Length > MaxBytes)
            return new("photo", ViolationCodes.TooLong, $"The photo is {photo.Length / (1024.0 * 1024):0.0} MB; at most {MaxBytes / (1024 * 1024)} MB is allowed.");
        if (Sniff(photo) is null)
            return new("photo", ViolationCodes.InvalidFormat, "The file is not a JPEG, PNG or WebP image (judged by its content, not its name).");
        return null;
    }
}
