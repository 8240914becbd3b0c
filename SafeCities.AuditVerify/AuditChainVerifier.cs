using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SafeCities.AuditVerify;

/// <summary>One row of an audit export (the CSV of /api/v1/audit/export), as text.</summary>
internal sealed record ExportRow(long Id, string At, string Actor, string Module, string Action, string Purpose, string Details, string PrevHash, string Hash);

/// <summary>One published anchor (/transparency/audit-anchors).</summary>
internal sealed record Anchor(DateOnly Day, long LastId, string LastHash, string Signature, string? PublicKey);

/// <param name="Intact">True when every entry matches its hash, each links to the one before, and every anchor in range matches and is signed.</param>
/// <param name="Problem">The first broken or missing entry, in chain order (null when intact).</param>
/// <param name="Notes">What was checked and what could not be (e.g. entries before the export's first one).</param>
internal sealed record VerifyResult(bool Intact, string? Problem, long? ProblemId, IReadOnlyList<string> Notes);

/// <summary>Recomputes the audit hash chain over an export and checks it against the signed daily anchors (ADR 0046).</summary>
internal static class AuditChainVerifier
{
    private static readonly string[] Columns = ["id", "at", "actor", "module", "action", "purpose", "details", "prev_hash", "hash"];

    public static VerifyResult Verify(string csv, string? anchorsJson = null, byte[]? trustedKey = null)
    {
        var notes = new List<string>();
        List<ExportRow> rows;
        try
        {
            rows = ReadExport(csv);
        }
        catch (FormatException e)
        {
            return new(false, "The export cannot be read: " + e.Message, null, notes);
        }
        rows.Sort((a, b) => a.Id.CompareTo(b.Id));
        for (var i = 1; i < rows.Count; i++)
            if (rows[i].Id == rows[i - 1].Id)
                return new(false, $"Entry {rows[i].Id} appears twice in the export.", rows[i].Id, notes);

        ExportRow? previous = null;
        foreach (var row in rows)
        {
            if (!Matches(row))
                return new(false, $"Entry {row.Id} was changed: its content does not hash to its recorded hash {row.Hash}.", row.Id, notes);
            if (previous is null)
                notes.Add(row.PrevHash == AuditChainFormat.Genesis
                    ? $"The export starts at the first entry of the log (id {row.Id})."
                    : $"The export starts at id {row.Id}, after an entry with hash {row.PrevHash}; entries before it are not in the export and not checked.");
            else if (row.PrevHash != previous.Hash)
                return new(false, $"Entries are missing or reordered between id {previous.Id} and id {row.Id}: entry {row.Id} follows an entry with hash " +
                                  $"{row.PrevHash}, but the export's entry {previous.Id} has hash {previous.Hash}.", row.Id, notes);
            previous = row;
        }
        notes.Add(rows.Count == 0 ? "The export has no entries." : $"{rows.Count} entries, ids {rows[0].Id}–{rows[^1].Id}, each matching its hash and linked to the one before.");

        if (anchorsJson is null)
            return new(true, null, null, notes);
        if (AnchorsFile.Read(anchorsJson, a => new Anchor(AnchorsFile.Day(a), a.GetProperty("lastId").GetInt64(), a.GetProperty("lastHash").GetString()!,
                a.GetProperty("signature").GetString()!, a.TryGetProperty("publicKey", out var p) ? p.GetString() : null),
                trustedKey, "Signatures", notes, out var failure) is not { } read)
            return new(false, failure, null, notes);
        var (anchors, key) = read;
        var byId = rows.ToDictionary(r => r.Id);
        var checkedCount = 0;
        foreach (var anchor in anchors.OrderBy(a => a.LastId))
        {
            if (!AuditChainFormat.Verify(key, AuditChainFormat.AnchorMessage(anchor.Day, anchor.LastId, anchor.LastHash), anchor.Signature))
                return new(false, $"The anchor of {anchor.Day:yyyy-MM-dd} (entry {anchor.LastId}) is not signed by the key {Convert.ToBase64String(key)}.", anchor.LastId, notes);
            if (rows.Count == 0 || anchor.LastId < rows[0].Id || anchor.LastId > rows[^1].Id)
                continue;
            if (!byId.TryGetValue(anchor.LastId, out var row))
                return new(false, $"Entry {anchor.LastId}, the last entry of {anchor.Day:yyyy-MM-dd} by its signed anchor, is missing from the export.", anchor.LastId, notes);
            if (row.Hash != anchor.LastHash)
                return new(false, $"Entry {anchor.LastId} has hash {row.Hash}, but the signed anchor of {anchor.Day:yyyy-MM-dd} says {anchor.LastHash}: " +
                                  "the log up to it was rewritten.", anchor.LastId, notes);
            checkedCount++;
        }
        notes.Add($"{anchors.Count} anchors with valid signatures; {checkedCount} fall within the export and match it.");
        if (rows.Count > 0 && anchors.Count > 0 && anchors.Max(a => a.LastId) < rows[^1].Id)
            notes.Add($"Entries after id {anchors.Max(a => a.LastId)} are not anchored yet (the next daily anchor will cover them).");
        return new(true, null, null, notes);
    }

    /// <summary>
    /// Whether the row's content hashes to its hash. The export neutralises a cell starting with =, +, - or @ with a leading ' (so a spreadsheet
    /// never runs it); such a cell is tried as written and without that ' .
    /// </summary>
    private static bool Matches(ExportRow r)
    {
        foreach (var actor in Variants(r.Actor))
        foreach (var module in Variants(r.Module))
        foreach (var action in Variants(r.Action))
        foreach (var purpose in Variants(r.Purpose))
            if (AuditChainFormat.EntryHash(r.Id, r.At, actor, module, action, purpose, r.Details, r.PrevHash) == r.Hash)
                return true;
        return false;
    }

    private static IEnumerable<string> Variants(string cell)
    {
        yield return cell;
        if (cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@')
            yield return cell[1..];
    }

    public static List<ExportRow> ReadExport(string csv)
    {
        var records = ReadCsv(csv);
        if (records.Count == 0)
            throw new FormatException("it is empty.");
        var header = records[0];
        var index = Columns.ToDictionary(c => c, c => header.IndexOf(c));
        if (index.FirstOrDefault(c => c.Value < 0) is { Key: { } missing })
            throw new FormatException($"it has no '{missing}' column (export it again: exports carry prev_hash and hash).");
        var rows = new List<ExportRow>();
        foreach (var (fields, line) in records.Skip(1).Select((f, i) => (f, i + 2)))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
                continue;
            if (fields.Count != header.Count)
                throw new FormatException($"record {line} has {fields.Count} fields, the header {header.Count}.");
            string F(string c) => fields[index[c]];
            if (!long.TryParse(F("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                throw new FormatException($"record {line} has no valid id.");
            rows.Add(new(id, F("at"), F("actor"), F("module"), F("action"), F("purpose"), F("details"), F("prev_hash"), F("hash")));
        }
        return rows;
    }

    /// <summary>RFC 4180: commas separate, double quotes enclose (newlines and "" inside), records end with \n or \r\n.</summary>
    private static List<List<string>> ReadCsv(string csv)
    {
        var records = new List<List<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c != '"')
                    field.Append(c);
                else if (i + 1 < csv.Length && csv[i + 1] == '"')
                    field.Append(csv[++i]);
                else
                    quoted = false;
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
                    i++;
                fields.Add(field.ToString());
                field.Clear();
                records.Add(fields);
                fields = [];
            }
            else
                field.Append(c);
        }
        if (quoted)
            throw new FormatException("a quoted field is not closed.");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields);
        }
        return records;
    }
}
