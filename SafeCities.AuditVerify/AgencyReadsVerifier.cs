using System.Globalization;
using System.Text.Json;

namespace SafeCities.AuditVerify;

/// <summary>
/// Checks a downloaded UTC day of the public agency list (<c>/transparency/agency-reads/{day}</c>) against the digest its daily anchor signed
/// (<c>/transparency/audit-anchors</c>), ADR 0055: the digest of the file's rows is recomputed (<see cref="AuditChainFormat.AgencyReadsDigest"/>;
/// the file's own <c>sha256</c> field is not trusted) and compared with the signed one, whose Ed25519 signature is checked first.
/// </summary>
internal static class AgencyReadsVerifier
{
    public static VerifyResult Verify(string dayJson, string anchorsJson, byte[]? trustedKey = null)
    {
        var notes = new List<string>();
        DateOnly day;
        List<AuditChainFormat.AgencyReadsRow> rows;
        string? claimed;
        try
        {
            (day, rows, claimed) = ReadDay(dayJson);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return new(false, "The day's file cannot be read: " + e.Message, null, notes);
        }
        var duplicate = rows.GroupBy(r => (r.Agency, r.Kind, r.DataClass)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            return new(false, $"The agency list of {day:yyyy-MM-dd} has two rows for {Describe(duplicate.First())}: the server never writes that, the file was edited.", null, notes);
        var digest = AuditChainFormat.AgencyReadsDigest(day, rows);
        notes.Add($"The agency list of {day:yyyy-MM-dd} (UTC) has {rows.Count} row(s) ({rows.Select(r => r.Agency).Distinct().Count()} agencies); " +
                  $"their digest is {digest}.");

        if (AnchorsFile.Read(anchorsJson, a => (Day: AnchorsFile.Day(a), Sha256: Text(a, "agencyReadsSha256"), Signature: Text(a, "agencyReadsSignature")),
                trustedKey, "Signature", notes, out var failure) is not { } read)
            return new(false, failure, null, notes);
        var (anchorList, key) = read;
        var anchors = new Dictionary<DateOnly, (string? Sha256, string? Signature)>();
        foreach (var a in anchorList)
            anchors[a.Day] = (a.Sha256, a.Signature);   // a day listed twice: the last one, as the file says it
        if (!anchors.TryGetValue(day, out var anchor))
            return new(false, $"The anchors file has no anchor for {day:yyyy-MM-dd}: a day is anchored after it ends (00:07 UTC the next day); " +
                              "download the anchors again then.", null, notes);
        if (anchor.Sha256 is null || anchor.Signature is null)
            return new(false, $"The anchor of {day:yyyy-MM-dd} signs no agency list (the day was anchored before agency lists were signed): " +
                              "there is nothing to check this file against.", null, notes);
        if (!AuditChainFormat.Verify(key, AuditChainFormat.AgencyReadsAnchorMessage(day, anchor.Sha256), anchor.Signature))
            return new(false, $"The agency-list digest in the anchor of {day:yyyy-MM-dd} ({anchor.Sha256}) is not signed by the key {Convert.ToBase64String(key)}: " +
                              "the anchors file was altered or comes from another deployment.", null, notes);
        if (anchor.Sha256 != digest)
        {
            var how = claimed == anchor.Sha256
                ? $" The file's own sha256 field still says {claimed}, the signed digest: its rows were edited after it was downloaded."
                : claimed == digest
                    ? " The file's own sha256 field matches its rows: the list was changed in the database after the day was anchored (a count, a row, an agency added, removed or renamed)."
                    : "";
            return new(false, $"The agency list of {day:yyyy-MM-dd} differs from the one signed when the day was anchored: its {rows.Count} row(s) hash to " +
                              $"{digest}, but the signed anchor says {anchor.Sha256}.{how}", null, notes);
        }
        if (claimed is not null && claimed != digest)
            notes.Add($"The file's own sha256 field ({claimed}) does not match its rows; the rows are as signed.");
        notes.Add($"The anchor of {day:yyyy-MM-dd} signs this digest with a valid signature.");
        return new(true, null, null, notes);
    }

    private static string Describe(AuditChainFormat.AgencyReadsRow r) => $"'{r.Agency}' ({r.Kind}), {r.DataClass}";

    /// <summary>The day, its rows and the file's own (untrusted) <c>sha256</c> field.</summary>
    public static (DateOnly Day, List<AuditChainFormat.AgencyReadsRow> Rows, string? Sha256) ReadDay(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.TryGetProperty("format", out var format) && format.GetString() != AuditChainFormat.AgencyReadsVersion)
            throw new FormatException($"its format is '{format.GetString()}', this verifier knows '{AuditChainFormat.AgencyReadsVersion}'.");
        var day = DateOnly.ParseExact(root.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = root.GetProperty("rows").EnumerateArray().Select(r => new AuditChainFormat.AgencyReadsRow(
            r.GetProperty("agency").GetString()!, r.GetProperty("kind").GetString()!, r.GetProperty("dataClass").GetString()!,
            r.GetProperty("reads").GetInt64(), r.GetProperty("items").GetInt64())).ToList();
        var sha = root.TryGetProperty("sha256", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return (day, rows, sha);
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
