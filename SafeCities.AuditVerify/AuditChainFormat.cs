using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace SafeCities.AuditVerify;

/// <summary>
/// The bytes the audit hash chain and its signed anchors are made of (ADR 0046). Version 1:
/// <list type="bullet">
/// <item>An entry's content is the UTF-8 of <c>"safecities-audit-v1\n"</c> followed by, for each of id, at, actor, module, action, purpose,
/// details and prev_hash in this order, <c>LENGTH ":" VALUE ","</c> (LENGTH = the value's UTF-8 byte count in decimal), or <c>"-,"</c> when the
/// value is absent (a purpose that is empty or null). <c>at</c> is UTC as <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>; <c>details</c> is PostgreSQL's
/// text of the jsonb value, exactly as the export carries it. The entry's hash is the lowercase hex SHA-256 of these bytes; the first entry's
/// prev_hash is 64 zeros. The database computes it (function <c>audit.entry_content_v1</c>); this is the same definition for verifiers.</item>
/// <item>An anchor's signed message is the UTF-8 of <c>"safecities-audit-anchor-v1\n" DAY "\n" LAST_ID "\n" LAST_HASH "\n"</c>, DAY as
/// <c>yyyy-MM-dd</c>; the signature is Ed25519 (RFC 8032), base64.</item>
/// <item>A UTC day's list of the agencies that read data (ADR 0055) is the UTF-8 of <c>"safecities-agency-reads-v1\n" DAY "\n"</c> followed by one
/// line per agency, kind and data class, <c>LEN:agency,LEN:kind,LEN:dataClass,reads,items\n</c> (LEN as above; reads and items in decimal), the
/// lines sorted by agency, then kind, then data class, each compared ordinally (UTF-16 code units, .NET's <c>StringComparer.Ordinal</c>). Its
/// digest is the lowercase hex SHA-256 of these bytes; the day's anchor also signs <c>"safecities-agency-reads-anchor-v1\n" DAY "\n" DIGEST "\n"</c>
/// with the same key. The v1 anchor message above is unchanged by it.</item>
/// </list>
/// </summary>
internal static class AuditChainFormat
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    public const string AtFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string At(DateTimeOffset at) => at.UtcDateTime.ToString(AtFormat, CultureInfo.InvariantCulture);

    public static byte[] EntryContent(long id, string at, string actor, string module, string action, string? purpose, string details, string prevHash)
    {
        var text = new StringBuilder("safecities-audit-v1\n");
        foreach (var field in new[] { id.ToString(CultureInfo.InvariantCulture), at, actor, module, action, string.IsNullOrEmpty(purpose) ? null : purpose, details, prevHash })
            text.Append(field is null ? "-," : string.Create(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetByteCount(field)}:{field},"));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static string EntryHash(long id, string at, string actor, string module, string action, string? purpose, string details, string prevHash) =>
        Convert.ToHexStringLower(SHA256.HashData(EntryContent(id, at, actor, module, action, purpose, details, prevHash)));

    public static byte[] AnchorMessage(DateOnly day, long lastId, string lastHash) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"safecities-audit-anchor-v1\n{day:yyyy-MM-dd}\n{lastId}\n{lastHash}\n"));

    public const string AgencyReadsVersion = "safecities-agency-reads-v1";
    public const string AgencyReadsAnchorVersion = "safecities-agency-reads-anchor-v1";

    /// <summary>One line of a day's agency list: reads that returned data of <paramref name="DataClass"/> to the agency, and the items they returned.</summary>
    internal sealed record AgencyReadsRow(string Agency, string Kind, string DataClass, long Reads, long Items);

    /// <summary>The rows in their canonical order (agency, kind, data class; ordinal).</summary>
    public static List<AgencyReadsRow> Canonical(IEnumerable<AgencyReadsRow> rows) =>
        [.. rows.OrderBy(r => r.Agency, StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.DataClass, StringComparer.Ordinal)
            .ThenBy(r => r.Reads).ThenBy(r => r.Items)];

    public static byte[] AgencyReadsContent(DateOnly day, IEnumerable<AgencyReadsRow> rows)
    {
        static string Field(string value) => string.Create(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetByteCount(value)}:{value},");
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{AgencyReadsVersion}\n{day:yyyy-MM-dd}\n"));
        foreach (var r in Canonical(rows))
            text.Append(Field(r.Agency)).Append(Field(r.Kind)).Append(Field(r.DataClass))
                .Append(string.Create(CultureInfo.InvariantCulture, $"{r.Reads},{r.Items}\n"));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The digest of a day's agency list: lowercase hex SHA-256 of <see cref="AgencyReadsContent"/>.</summary>
    public static string AgencyReadsDigest(DateOnly day, IEnumerable<AgencyReadsRow> rows) =>
        Convert.ToHexStringLower(SHA256.HashData(AgencyReadsContent(day, rows)));

    public static byte[] AgencyReadsAnchorMessage(DateOnly day, string digest) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{AgencyReadsAnchorVersion}\n{day:yyyy-MM-dd}\n{digest}\n"));

    /// <summary>Ed25519 signature (base64) of <paramref name="message"/> with a 32-byte private key (seed).</summary>
    public static string Sign(byte[] privateKey, byte[] message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, new Ed25519PrivateKeyParameters(privateKey, 0));
        signer.BlockUpdate(message, 0, message.Length);
        return Convert.ToBase64String(signer.GenerateSignature());
    }

    public static bool Verify(byte[] publicKey, byte[] message, string signature)
    {
        try
        {
            var bytes = Convert.FromBase64String(signature);
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.BlockUpdate(message, 0, message.Length);
            return verifier.VerifySignature(bytes);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A new private key (32 random bytes).</summary>
    public static byte[] NewPrivateKey() => RandomNumberGenerator.GetBytes(32);

    public static byte[] PublicKey(byte[] privateKey) => new Ed25519PrivateKeyParameters(privateKey, 0).GeneratePublicKey().GetEncoded();
}
