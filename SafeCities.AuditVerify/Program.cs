using SafeCities.AuditVerify;

// scripts/audit-verify EXPORT.csv [ANCHORS.json] [--key BASE64]: exit 0 when the export's chain is intact (and matches the signed anchors), 1 when
// an entry is changed, missing or reordered (the first one is named), 2 when it cannot run.
// scripts/audit-verify --agency-reads DAY.json ANCHORS.json [--key BASE64]: exit 0 when a downloaded day of the public agency list hashes to the
// digest its anchor signed (ADR 0055), 1 naming what differs, 2 when it cannot run.
var key = (byte[]?)null;
var agencyReads = false;
var files = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--key" && i + 1 < args.Length)
    {
        try
        {
            key = Convert.FromBase64String(args[++i]);
        }
        catch (FormatException)
        {
            key = [];
        }
        if (key.Length != 32)
        {
            Console.Error.WriteLine("--key must be the base64 of a 32-byte Ed25519 public key (as on the transparency page).");
            return 2;
        }
    }
    else if (args[i] == "--agency-reads")
        agencyReads = true;
    else if (args[i] is "-h" or "--help")
    {
        files.Clear();
        break;
    }
    else
        files.Add(args[i]);
}
if (agencyReads ? files.Count != 2 : files.Count is < 1 or > 2)
{
    Console.Error.WriteLine("usage: audit-verify EXPORT.csv [ANCHORS.json] [--key BASE64-PUBLIC-KEY]");
    Console.Error.WriteLine("       audit-verify --agency-reads DAY.json ANCHORS.json [--key BASE64-PUBLIC-KEY]");
    Console.Error.WriteLine("  EXPORT.csv   an unfiltered audit export (Audit page → CSV, or GET /api/v1/audit/export)");
    Console.Error.WriteLine("  ANCHORS.json the published anchors (GET /transparency/audit-anchors)");
    Console.Error.WriteLine("  DAY.json     a UTC day of the agencies that read data (GET /transparency/agency-reads/yyyy-MM-dd)");
    return 2;
}
string csv, anchors;
try
{
    csv = File.ReadAllText(files[0]);
    anchors = files.Count > 1 ? File.ReadAllText(files[1]) : null!;
}
catch (IOException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
var result = agencyReads ? AgencyReadsVerifier.Verify(csv, anchors, key) : AuditChainVerifier.Verify(csv, files.Count > 1 ? anchors : null, key);
foreach (var note in result.Notes)
    Console.WriteLine(note);
if (result.Intact)
{
    Console.WriteLine("INTACT");
    return 0;
}
Console.WriteLine("BROKEN: " + result.Problem);
return 1;
