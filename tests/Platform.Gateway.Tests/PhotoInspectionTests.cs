using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Platform.Domain.Validation;
using Platform.Gateway.Complaints;
using SkiaSharp;

namespace Platform.Gateway.Tests;

/// <summary>Photos are decoded, checked whole and encoded again: stubs and polyglots are refused, metadata never survives.</summary>
public sealed class PhotoInspectionTests
{
    private static byte[] Image(SKEncodedImageFormat format, int width = 64, int height = 48)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SteelBlue);
            using var paint = new SKPaint { Color = SKColors.OrangeRed };
            canvas.DrawRect(0, 0, width / 2f, height / 3f, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    /// <summary>A JPEG with an EXIF block (APP1) right after SOI: orientation 6 (turn 90° clockwise) and a description naming a place and a camera serial.</summary>
    private static byte[] JpegWithExif(byte[] jpeg, string secret)
    {
        var text = Encoding.ASCII.GetBytes(secret + "\0");
        var tiff = new List<byte>();
        tiff.AddRange("II*\0"u8.ToArray());
        tiff.AddRange(BitConverter.GetBytes(8));            // IFD0 at offset 8
        tiff.AddRange(BitConverter.GetBytes((short)2));     // two entries
        tiff.AddRange(BitConverter.GetBytes((short)0x010E)); // ImageDescription, ASCII
        tiff.AddRange(BitConverter.GetBytes((short)2));
        tiff.AddRange(BitConverter.GetBytes(text.Length));
        tiff.AddRange(BitConverter.GetBytes(8 + 2 + 12 * 2 + 4)); // value after the IFD
        tiff.AddRange(BitConverter.GetBytes((short)0x0112)); // Orientation, SHORT, 6
        tiff.AddRange(BitConverter.GetBytes((short)3));
        tiff.AddRange(BitConverter.GetBytes(1));
        tiff.AddRange(BitConverter.GetBytes((short)6));
        tiff.AddRange(new byte[2]);
        tiff.AddRange(BitConverter.GetBytes(0));            // no next IFD
        tiff.AddRange(text);
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    private static byte[] PngWithTextChunk(byte[] png, string secret)
    {
        var data = Encoding.Latin1.GetBytes("Comment\0" + secret);
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        "tEXt"u8.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), crc);
        // After the IHDR chunk (8-byte signature + 25 bytes).
        return [.. png[..33], .. chunk, .. png[33..]];
    }

    private static byte[] Zip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("payload.html").Open());
            writer.Write("<script>alert(1)</script>");
        }
        return buffer.ToArray();
    }

    public static TheoryData<string, byte[]> Refused => new()
    {
        { "3-byte JPEG start", [0xFF, 0xD8, 0xFF] },
        { "12-byte WebP header", [.. "RIFF"u8.ToArray(), 4, 0, 0, 0, .. "WEBP"u8.ToArray()] },
        { "JPEG + HTML", [.. Image(SKEncodedImageFormat.Jpeg), .. "<html><script>alert(document.cookie)</script></html>"u8.ToArray()] },
        { "PNG + ZIP", [.. Image(SKEncodedImageFormat.Png), .. Zip()] },
        { "WebP + HTML", [.. Image(SKEncodedImageFormat.Webp), .. "<svg onload=alert(1)>"u8.ToArray()] },
        { "cut-off JPEG", Image(SKEncodedImageFormat.Jpeg)[..^200] },
        { "cut-off PNG", Image(SKEncodedImageFormat.Png)[..^20] },
        { "1x1 PNG", Image(SKEncodedImageFormat.Png, 1, 1) },
        { "PNG header, JPEG body", [.. Image(SKEncodedImageFormat.Png)[..8], .. Image(SKEncodedImageFormat.Jpeg)] },
        { "HTML", "<html><body>not a photo</body></html>"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Stubs_polyglots_and_broken_images_are_refused(string kind, byte[] bytes)
    {
        var (photo, problem) = PhotoInspection.Inspect(bytes);

        Assert.Null(photo);
        Assert.NotNull(problem);
        Assert.True(problem!.Code is ViolationCodes.InvalidFormat or ViolationCodes.Required, $"{kind}: {problem.Code}");
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg, "image/jpeg")]
    [InlineData(SKEncodedImageFormat.Png, "image/png")]
    [InlineData(SKEncodedImageFormat.Webp, "image/webp")]
    public void A_whole_image_is_accepted_and_stored_as_the_same_type(SKEncodedImageFormat format, string contentType)
    {
        var (photo, problem) = PhotoInspection.Inspect(Image(format));

        Assert.Null(problem);
        Assert.Equal((contentType, 64, 48), (photo!.ContentType, photo.Width, photo.Height));
        using var decoded = SKBitmap.Decode(photo.Bytes);
        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void EXIF_location_and_serial_are_gone_and_the_photo_is_turned_upright()
    {
        const string secret = "GPS 52.3731N 4.8922E camera serial SN-4711-0815";
        var original = JpegWithExif(Image(SKEncodedImageFormat.Jpeg, 64, 48), secret);
        Assert.Contains("SN-4711-0815", Encoding.ASCII.GetString(original)); // the control: the secret is in what was sent

        var (photo, problem) = PhotoInspection.Inspect(original);

        Assert.Null(problem);
        var stored = Encoding.ASCII.GetString(photo!.Bytes);
        Assert.DoesNotContain("SN-4711-0815", stored);
        Assert.DoesNotContain("Exif", stored);
        // Orientation 6: the 64x48 pixels are shown 48 wide and 64 high, and that is how they are stored.
        Assert.Equal((48, 64), (photo.Width, photo.Height));
    }

    [Fact]
    public void A_text_chunk_in_a_PNG_is_gone()
    {
        var original = PngWithTextChunk(Image(SKEncodedImageFormat.Png), "Camera SN-4711-0815");
        Assert.NotNull(SKBitmap.Decode(original)); // the control: it is a valid PNG with the chunk

        var (photo, problem) = PhotoInspection.Inspect(original);

        Assert.Null(problem);
        Assert.DoesNotContain("SN-4711-0815", Encoding.Latin1.GetString(photo!.Bytes));
    }
}
