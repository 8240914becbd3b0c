using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// A small PNG that looks like a number plate seen by a reader (a white plate with a dark border and one block per character on a grey
/// background), encoded here (zlib from the BCL, CRC-32 below) so the demo's readers have something to upload. No third-party code.
/// </summary>
internal static class DemoPlateImage
{
    public const int Width = 120, Height = 40;

    public static byte[] Png(string plate)
    {
        var rgb = new byte[Height, Width, 3];
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
            {
                var border = x is >= 8 and <= 111 && y is >= 6 and <= 33 && (x is 8 or 9 or 110 or 111 || y is 6 or 7 or 32 or 33);
                var plateArea = x is > 9 and < 110 && y is > 7 and < 32;
                var (r, g, b) = border ? (20, 20, 20) : plateArea ? (245, 245, 240) : (70 + y, 72 + y, 78 + y);
                (rgb[y, x, 0], rgb[y, x, 1], rgb[y, x, 2]) = ((byte)r, (byte)g, (byte)b);
            }
        var chars = plate.Length == 0 ? "?" : plate[..Math.Min(plate.Length, 8)];
        var step = 96 / chars.Length;
        for (var i = 0; i < chars.Length; i++)
        {
            var bits = chars[i];
            var x0 = 13 + i * step;
            for (var y = 11; y < 29; y++)
                for (var x = x0; x < x0 + step - 4; x++)
                {
                    // one glyph-like block per character: a pattern from its code, so different plates look different
                    var on = (x - x0) is 0 or 1 || ((bits >> ((y - 11) / 3 % 7)) & 1) == 1 && (x - x0) < step - 6;
                    if (on)
                        (rgb[y, x, 0], rgb[y, x, 1], rgb[y, x, 2]) = ((byte)25, (byte)30, (byte)60);
                }
        }
        var raw = new byte[Height * (1 + Width * 3)];
        for (var y = 0; y < Height; y++)
        {
            var row = y * (1 + Width * 3);
            raw[row] = 0;   // filter: none
            for (var x = 0; x < Width; x++)
                for (var c = 0; c < 3; c++)
                    raw[row + 1 + x * 3 + c] = rgb[y, x, c];
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8;   // bit depth
        header[9] = 2;   // colour type: RGB
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
                z.Write(raw);
            Chunk(png, "IDAT", compressed.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The PNG chunk checksum (CRC-32, ISO 3309).</summary>
    internal static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
            c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
