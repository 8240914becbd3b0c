using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// What an authenticator app computes (RFC 6238: HMAC-SHA1 over the 30-second step since the Unix epoch, 6 digits, base32 key), written
/// here from the RFC so that the tests do not check the app's codes with the app's own code.
/// </summary>
public static class Totp
{
    public static string Code(string base32Key, DateTimeOffset? at = null) => Code(Base32(base32Key), ((at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds()) / 30, 6);

    /// <summary>A 6-digit code that no step from five before to five after now produces (so never accepted, whatever the server's window).</summary>
    public static string WrongCode(string base32Key)
    {
        var key = Base32(base32Key);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var near = Enumerable.Range(-5, 11).Select(d => Code(key, now + d, 6)).ToHashSet();
        while (true)
            if (Random.Shared.Next(1_000_000).ToString("D6") is var code && !near.Contains(code))
                return code;
    }

    /// <summary>RFC 4226 §5.3: dynamic truncation of the HMAC, modulo 10^digits.</summary>
    public static string Code(byte[] key, long step, int digits)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0F;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7FFFFFFF;
        return (binary % (int)Math.Pow(10, digits)).ToString(new string('0', digits));
    }

    /// <summary>RFC 4648 base32 (case and spaces ignored, padding optional).</summary>
    public static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant().Where(c => c is not (' ' or '=')))
        {
            var value = alphabet.IndexOf(c);
            if (value < 0)
                throw new FormatException($"'{c}' is not base32.");
            buffer = ((buffer << 5) | value) & 0xFFFF;   // at most 12 bits are ever pending
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
