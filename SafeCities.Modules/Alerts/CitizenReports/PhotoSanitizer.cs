using SkiaSharp;

namespace SafeCities.Modules.Alerts.CitizenReports;

/// <summary>
/// A photo from the public: accepted only when its first bytes say JPEG or PNG (whatever its name or declared type), it decodes, and it is
/// not absurdly large; then decoded to pixels (turned upright as its EXIF orientation says) and encoded anew, so that nothing but the pixels
/// survives: no EXIF (GPS position, camera serial, time), XMP, IPTC, comments or PNG text chunks.
/// </summary>
internal static class PhotoSanitizer
{
    public const int MaxPixels = 40_000_000;
    public const int MaxSide = 4096;

    public sealed record Clean(string ContentType, byte[] Bytes);

    /// <summary>The re-encoded photo, or why it is refused.</summary>
    public static (Clean? Photo, string? Refusal) Sanitize(byte[] bytes, int maxBytes)
    {
        if (bytes.Length == 0)
            return (null, "is empty.");
        if (bytes.Length > maxBytes)
            return (null, $"is larger than {maxBytes / (1024 * 1024)} MB.");
        var format = Sniff(bytes);
        if (format is null)
            return (null, "is not a JPEG or PNG image.");
        try
        {
            using var data = SKData.CreateCopy(bytes);
            using var codec = SKCodec.Create(data);
            if (codec is null || codec.EncodedFormat != format)
                return (null, "could not be read as an image.");
            var info = codec.Info;
            if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels)
                return (null, $"is too large an image ({info.Width}×{info.Height} pixels).");
            using var decoded = SKBitmap.Decode(codec, info.WithColorType(SKColorType.Rgba8888).WithAlphaType(format == SKEncodedImageFormat.Png
                ? SKAlphaType.Unpremul : SKAlphaType.Opaque));
            if (decoded is null)
                return (null, "could not be decoded.");
            using var upright = Orient(decoded, codec.EncodedOrigin);
            using var fitted = Fit(upright);
            using var image = SKImage.FromBitmap(fitted);
            using var encoded = format == SKEncodedImageFormat.Png ? image.Encode(SKEncodedImageFormat.Png, 100) : image.Encode(SKEncodedImageFormat.Jpeg, 85);
            if (encoded is null)
                return (null, "could not be re-encoded.");
            return (new Clean(format == SKEncodedImageFormat.Png ? "image/png" : "image/jpeg", encoded.ToArray()), null);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return (null, "could not be read as an image.");
        }
    }

    /// <summary>JPEG (FF D8 FF) or PNG (its 8-byte signature), by the bytes alone.</summary>
    internal static SKEncodedImageFormat? Sniff(ReadOnlySpan<byte> bytes) =>
        bytes is [0xFF, 0xD8, 0xFF, ..] ? SKEncodedImageFormat.Jpeg
        : bytes is [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] ? SKEncodedImageFormat.Png
        : null;

    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
            return source.Copy();
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? source.Height : source.Width, swap ? source.Width : source.Height, source.ColorType, source.AlphaType);
        using var canvas = new SKCanvas(result);
        float w = source.Width, h = source.Height;
        // Where each source pixel (x, y) lands: x' = a·x + b·y + c, y' = d·x + e·y + f (EXIF orientations 2–8).
        canvas.SetMatrix(origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            _ => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        });
        canvas.DrawBitmap(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None), null);
        return result;
    }

    private static SKBitmap Fit(SKBitmap source)
    {
        var longest = Math.Max(source.Width, source.Height);
        if (longest <= MaxSide)
            return source.Copy();
        var scale = (double)MaxSide / longest;
        var info = new SKImageInfo(Math.Max(1, (int)(source.Width * scale)), Math.Max(1, (int)(source.Height * scale)), source.ColorType, source.AlphaType);
        return source.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
    }
}
