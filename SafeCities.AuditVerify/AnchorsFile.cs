using System.Globalization;
using System.Text.Json;

namespace SafeCities.AuditVerify;

/// <summary>The published anchors file (<c>/transparency/audit-anchors</c>), as both verifiers read it.</summary>
internal static class AnchorsFile
{
    /// <summary>
    /// Reads every anchor with <paramref name="anchor"/> and chooses the key that checks them: <paramref name="trustedKey"/> (from the
    /// transparency page), else the one the file names — then noted, so that the reader compares it with the page. Null, with
    /// <paramref name="failure"/>, when the file cannot be read or there is no key.
    /// </summary>
    /// <param name="signatures">How the note names what the key checks ("Signature", "Signatures").</param>
    public static (List<T> Anchors, byte[] Key)? Read<T>(string json, Func<JsonElement, T> anchor, byte[]? trustedKey, string signatures,
        List<string> notes, out string? failure)
    {
        List<T> anchors;
        byte[]? fileKey;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            fileKey = root.TryGetProperty("publicKey", out var k) && k.ValueKind == JsonValueKind.String ? Convert.FromBase64String(k.GetString()!) : null;
            anchors = root.GetProperty("anchors").EnumerateArray().Select(anchor).ToList();
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            failure = "The anchors file cannot be read: " + e.Message;
            return null;
        }
        var key = trustedKey ?? fileKey;
        if (key is null)
        {
            failure = "No public key: pass --key (from the transparency page) or use an anchors file that names it.";
            return null;
        }
        if (trustedKey is null)
            notes.Add($"{signatures} checked with the key named in the anchors file, {Convert.ToBase64String(key)}: compare it with the transparency page.");
        failure = null;
        return (anchors, key);
    }

    /// <summary>An anchor's UTC day.</summary>
    public static DateOnly Day(JsonElement anchor) =>
        DateOnly.ParseExact(anchor.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
