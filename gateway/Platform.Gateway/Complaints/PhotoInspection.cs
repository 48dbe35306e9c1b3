using System.Buffers.Binary;
using Platform.Domain.Complaints;
using Platform.Domain.Validation;
using SkiaSharp;

namespace Platform.Gateway.Complaints;

/// <summary>A photo as it is stored: decoded, turned upright, and encoded again without any metadata.</summary>
public sealed record InspectedPhoto(byte[] Bytes, string ContentType, int Width, int Height);

/// <summary>
/// Judges a photo by decoding it, not by its first bytes: the file must be one whole JPEG, PNG or WebP image
/// that ends where the image ends (so nothing such as HTML or a ZIP archive rides along), of a sensible size.
/// What is stored is the decoded pixels encoded again: EXIF (location, camera serial), comments and any
/// other metadata are gone, because photos are shown to staff of other organisations.
/// </summary>
public static class PhotoInspection
{
    /// <summary>Smaller than this on either side is not a photo of anything (and stubs that only carry a header fail here too).</summary>
    public const int MinSide = 16;

    /// <summary>Wider or taller than this is refused before decoding: a small file can claim a huge canvas.</summary>
    public const int MaxSide = 12_000;

    public const long MaxPixels = 50_000_000;

    private const int JpegQuality = 90;

    public static (InspectedPhoto? Photo, RuleViolation? Problem) Inspect(byte[] bytes)
    {
        if (PhotoRules.Check(bytes, 0) is { } invalid) return (null, invalid);
        var claimed = PhotoRules.Sniff(bytes)!;
        var end = claimed switch
        {
            "image/jpeg" => JpegEnd(bytes),
            "image/png" => PngEnd(bytes),
            _ => WebPEnd(bytes),
        };
        if (end is null) return (null, Refused("The image is cut off or damaged: its structure does not hold together."));
        for (var i = end.Value; i < bytes.Length; i++)
        {
            if (bytes[i] != 0) return (null, Refused("The file holds more than one image: data follows the end of the picture. Send the photo alone."));
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null) return (null, Refused("The image cannot be decoded."));
        if (FormatOf(codec.EncodedFormat) != claimed) return (null, Refused("The file's content does not match its image type."));
        var info = codec.Info;
        if (info.Width < MinSide || info.Height < MinSide)
        {
            return (null, Refused($"The image is {info.Width}×{info.Height} pixels; a photo is at least {MinSide}×{MinSide}."));
        }
        if (info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
        {
            return (null, Refused($"The image is {info.Width}×{info.Height} pixels; at most {MaxSide} on a side and {MaxPixels / 1_000_000} megapixels are allowed."));
        }

        using var decoded = new SKBitmap(new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var read = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (read != SKCodecResult.Success) return (null, Refused("The image is cut off or damaged and cannot be decoded whole."));

        using var upright = Upright(decoded, codec.EncodedOrigin);
        using var image = SKImage.FromBitmap(upright);
        using var encoded = image.Encode(codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Png => SKEncodedImageFormat.Png,
            SKEncodedImageFormat.Webp => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Jpeg,
        }, JpegQuality);
        if (encoded is null) return (null, Refused("The image cannot be encoded again."));
        return (new InspectedPhoto(encoded.ToArray(), claimed, upright.Width, upright.Height), null);
    }

    private static RuleViolation Refused(string message) => new("photo", ViolationCodes.InvalidFormat, message);

    private static string? FormatOf(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => "image/jpeg",
        SKEncodedImageFormat.Png => "image/png",
        SKEncodedImageFormat.Webp => "image/webp",
        _ => null,
    };

    /// <summary>The pixels as the camera meant them to be seen (EXIF orientation applied), since the orientation tag is dropped with the rest.</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (w, h) = swap ? (source.Height, source.Width) : (source.Width, source.Height);
        var result = new SKBitmap(new SKImageInfo(w, h, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(result);
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, w, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, w, -1, 0, h, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, h, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
        canvas.SetMatrix(matrix);
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        canvas.Flush();
        return result;
    }

    /// <summary>Where a JPEG ends: after the EOI marker that closes its last scan; null when the markers do not hold together.</summary>
    public static int? JpegEnd(ReadOnlySpan<byte> jpeg)
    {
        var at = 2; // after SOI
        while (at < jpeg.Length)
        {
            if (jpeg[at] != 0xFF) return null;
            while (at < jpeg.Length && jpeg[at] == 0xFF) at++; // fill bytes
            if (at >= jpeg.Length) return null;
            var marker = jpeg[at++];
            if (marker == 0xD9) return at;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) continue; // no length
            if (at + 2 > jpeg.Length) return null;
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[at..]);
            if (length < 2 || at + length > jpeg.Length) return null;
            at += length;
            if (marker != 0xDA) continue;
            // Entropy-coded data runs to the next marker that is neither stuffing (FF 00) nor a restart (FF D0-D7).
            while (true)
            {
                var next = jpeg[at..].IndexOf((byte)0xFF);
                if (next < 0 || at + next + 1 >= jpeg.Length) return null;
                at += next;
                var following = jpeg[at + 1];
                if (following == 0x00 || following is >= 0xD0 and <= 0xD7 || following == 0xFF)
                {
                    at += following == 0xFF ? 1 : 2;
                    continue;
                }
                break;
            }
        }
        return null;
    }

    /// <summary>Where a PNG ends: after the CRC of its IEND chunk.</summary>
    public static int? PngEnd(ReadOnlySpan<byte> png)
    {
        var at = 8;
        while (at + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            if (length > int.MaxValue - 12 || at + 12 + (long)length > png.Length) return null;
            var type = png.Slice(at + 4, 4);
            at += 12 + (int)length;
            if (type.SequenceEqual("IEND"u8)) return at;
        }
        return null;
    }

    /// <summary>Where a WebP ends: as long as its RIFF header says (plus the pad byte of an odd size).</summary>
    public static int? WebPEnd(ReadOnlySpan<byte> webp)
    {
        if (webp.Length < 12) return null;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(webp[4..]);
        var end = 8L + size + (size % 2);
        return end <= webp.Length && size >= 4 ? (int)end : null;
    }
}
