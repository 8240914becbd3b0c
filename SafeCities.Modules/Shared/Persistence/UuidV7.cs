using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SafeCities.Modules.Shared.Persistence;

/// <summary>
/// Many version 7 UUIDs (RFC 9562: 48 bits of Unix milliseconds, the version, 74 random bits) from one draw of random bytes, for rows
/// written by the thousand. <see cref="Guid.CreateVersion7()"/> asks the kernel for 16 random bytes each time (a system call a row,
/// about a twentieth of plate ingestion's CPU a read, ADR 0057); these are laid out as it lays them out.
/// </summary>
internal static class UuidV7
{
    public static Guid[] Create(int count, DateTimeOffset at)
    {
        var ids = new Guid[count];
        if (count == 0)
            return ids;
        Span<byte> random = count <= 64 ? stackalloc byte[16 * count] : new byte[16 * count];
        RandomNumberGenerator.Fill(random);
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, at.ToUnixTimeMilliseconds());
        for (var i = 0; i < count; i++)
        {
            var bytes = random.Slice(16 * i, 16);
            time[2..].CopyTo(bytes);                        // bytes 0–5: the 48-bit Unix milliseconds, big-endian
            bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));   // version 7
            bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));   // variant 10
            ids[i] = new Guid(bytes, bigEndian: true);
        }
        return ids;
    }
}
