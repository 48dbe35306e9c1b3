using SkiaSharp;

namespace Platform.Tests.Shared;

/// <summary>Real, decodable photos for tests (the gateway decodes every upload); noise makes them large.</summary>
public static class TestImages
{
    public static byte[] Jpeg(int width = 64, int height = 48, bool noise = false) => Encode(SKEncodedImageFormat.Jpeg, width, height, noise);

    public static byte[] Png(int width = 64, int height = 48, bool noise = false) => Encode(SKEncodedImageFormat.Png, width, height, noise);

    private static byte[] Encode(SKEncodedImageFormat format, int width, int height, bool noise)
    {
        using var bitmap = new SKBitmap(width, height);
        var random = new Random(width * 31 + height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, noise
                    ? new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))
                    : new SKColor((byte)(x * 255 / width), (byte)(y * 255 / height), 120));
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }
}
