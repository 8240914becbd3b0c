using System.Globalization;
using FluentValidation.Results;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Plates.Features;

/// <summary>A non-blank line of an extract: its entry, or why it is rejected.</summary>
internal sealed record HotlistCsvLine(int Line, ParsedHotlistEntry? Entry, string? Rejection);

/// <summary>One good line of an extract.</summary>
internal sealed record ParsedHotlistEntry(int Line, string Plate, string? Region, string? Reason, string? Reference, string? Description, DateTimeOffset? ExpiresAt);

/// <summary>
/// Reads an extract's lines by the columns its header names: NCIC style (<c>LIC</c>, <c>LIS</c>, <c>MKE</c>, <c>NIC</c>, <c>VMA</c>,
/// <c>VCO</c>, <c>EXP</c>) or plain (plate, region/state, reason, reference/case_number, make, colour, expires_at).
/// </summary>
internal sealed class HotlistCsv
{
    private static readonly string[] PlateColumns = ["lic", "plate", "license_plate", "licence_plate"];
    private static readonly string[] RegionColumns = ["lis", "region", "state"];
    private static readonly string[] ReasonColumns = ["mke", "reason", "offense", "offence"];
    private static readonly string[] ReferenceColumns = ["nic", "reference", "case_number", "case"];
    private static readonly string[] MakeColumns = ["vma", "make"];
    private static readonly string[] ColourColumns = ["vco", "colour", "color"];
    private static readonly string[] ExpiryColumns = ["exp", "expires_at", "expires", "expiry"];

    private readonly int _plate, _region, _reason, _reference, _make, _colour, _expiry;

    private HotlistCsv(string[] header)
    {
        int Col(string[] names) => Array.FindIndex(header, names.Contains);
        (_plate, _region, _reason, _reference, _make, _colour, _expiry) =
            (Col(PlateColumns), Col(RegionColumns), Col(ReasonColumns), Col(ReferenceColumns), Col(MakeColumns), Col(ColourColumns), Col(ExpiryColumns));
    }

    /// <exception cref="ValidationException">The header is not a CSV line or names no plate column.</exception>
    public static HotlistCsv ForHeader(string? header)
    {
        var (fields, error) = CsvLine.Split((header ?? "").TrimStart('\uFEFF'));
        if (error is not null)
            throw new ValidationException([new ValidationFailure("header", $"The header line is not valid CSV: {error}")]);
        var csv = new HotlistCsv(fields.Select(h => h.Trim().ToLowerInvariant()).ToArray());
        return csv._plate >= 0 ? csv : throw new ValidationException([new ValidationFailure("header", "The header names no plate column (LIC or plate).")]);
    }

    /// <summary>
    /// Every non-blank line of a run of the file (<paramref name="firstLine"/> is the file line number of <c>lines[0]</c>): its entry, or
    /// why it is rejected.
    /// </summary>
    public List<HotlistCsvLine> ReadAll(IReadOnlyList<string> lines, int firstLine, DateTimeOffset now)
    {
        var read = new List<HotlistCsvLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            var (entry, rejection) = Read(firstLine + i, lines[i], now);
            read.Add(new HotlistCsvLine(firstLine + i, entry, rejection));
        }
        return read;
    }

    /// <summary>
    /// Rejects each entry whose plate and region came earlier in the file: <paramref name="seen"/> holds the first line of each one
    /// seen so far (earlier chunks' included) and is filled in as it goes.
    /// </summary>
    public static void RejectRepeats(List<HotlistCsvLine> lines, Dictionary<(string Plate, string? Region), int> seen)
    {
        for (var i = 0; i < lines.Count; i++)
            if (lines[i].Entry is { } e && !seen.TryAdd((e.Plate, e.Region), e.Line))
                lines[i] = lines[i] with { Entry = null, Rejection = $"repeats line {seen[(e.Plate, e.Region)]}" };
    }

    /// <summary>The entry on a line, or why the line is rejected.</summary>
    private (ParsedHotlistEntry? Entry, string? Rejection) Read(int lineNo, string line, DateTimeOffset now)
    {
        var (f, malformed) = CsvLine.Split(line);
        if (malformed is not null)
            return (null, malformed);
        string? Field(int col) => col >= 0 && col < f.Count && !string.IsNullOrWhiteSpace(f[col]) ? f[col].Trim() : null;
        var plate = Field(_plate);
        if (plate is null)
            return (null, "no plate");
        if (!PlateMatcher.IsValidEntry(plate))
            return (null, $"'{plate}' is not a plate (1–10 letters or digits, '*' and '?' allowed)");
        var region = Field(_region)?.ToUpperInvariant();
        if (region is { Length: > 8 })
            return (null, $"region '{region}' is longer than 8 characters");
        DateTimeOffset? expires = null;
        if (Field(_expiry) is { } exp)
        {
            if (!TryDate(exp, out var e))
                return (null, $"expiry '{exp}' is not a date (YYYY-MM-DD, YYYYMMDD or ISO 8601)");
            if (e <= now)
                return (null, $"expired on {e:yyyy-MM-dd}");
            if (HotlistExpiry.Refusal(e, now) is not null)
                return (null, $"expiry {e:yyyy-MM-dd} is more than {HotlistExpiry.MaxYearsAhead} years ahead");
            expires = e;
        }
        var description = string.Join(' ', new[] { Field(_colour), Field(_make) }.Where(s => s is not null));
        return (new ParsedHotlistEntry(lineNo, PlateNumber.Normalize(plate)!, region, Trunc(Field(_reason), 300), Trunc(Field(_reference), 64),
            description.Length == 0 ? null : Trunc(description, 200), expires), null);
    }

    private static string? Trunc(string? s, int max) => s is null ? null : s.Length <= max ? s : s[..max];

    private static bool TryDate(string s, out DateTimeOffset at)
    {
        if (DateTimeOffset.TryParseExact(s, ["yyyyMMdd", "yyyy-MM-dd", "MM/dd/yyyy"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
        {
            at = at.AddDays(1); // a date expires at the end of that day
            return true;
        }
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }
}

/// <summary>
/// Replaces a list's entries with an extract's good lines in one transaction (with the caller's own writes), then checks the newly
/// listed plates against past reads. An entry that stays on the list keeps its id, so its earlier hits are not raised again.
/// </summary>
internal sealed class HotlistReplacer(PlatesDbContext db, HotlistMatcherCache cache, RetroactiveHotlistCheck lookBack, TimeProvider clock)
{
    public static Hotlist EnsureImportable(Hotlist? list) =>
        list is null ? throw new DomainRuleException("No such hotlist.", 404)
        : list.Kind == HotlistKinds.Intelligence ? throw new DomainRuleException("Intelligence's hotlist is kept by Intelligence's requests.", 409)
        : list;

    /// <param name="alsoInTransaction">Runs first inside the replacing transaction (e.g. locks and closes a staged import).</param>
    public async Task<HotlistImportDto> ReplaceAsync(Hotlist list, IReadOnlyList<ParsedHotlistEntry> good, int lines, IReadOnlyList<RejectedLineDto> rejected,
        string by, Func<CancellationToken, Task>? alsoInTransaction, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var replaced = 0;
        List<HotlistEntry> entries = [];
        List<MatchableEntry> fresh = [];
        Guid? owed = null;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (alsoInTransaction is not null)
                await alsoInTransaction(ct);
            if (good.Count > 0)  // a file with no good line changes nothing
            {
                // The list's entries replaced are the ones read here: its row is locked first, so a concurrent import (or an entry added by
                // hand) waits, then reads what this one committed — without it the two inserted the same plate and the second failed.
                await HotlistQueries.LockListAsync(db, list.Id, ct);
                var previous = await db.HotlistEntries.AsNoTracking().Where(e => e.HotlistId == list.Id && e.WithdrawnAt == null)
                    .ToDictionaryAsync(e => (e.Plate, e.Region), ct);
                replaced = await db.HotlistEntries.Where(e => e.HotlistId == list.Id).ExecuteDeleteAsync(ct);
                // The version this transaction bumped to (the delete's statement trigger): the entries new to the list, or matched
                // differently (another expiry), carry it, so every node adds them to its matcher; an unchanged entry keeps its own (ADR 0062).
                var version = await HotlistQueries.VersionAsync(db, ct);
                entries = good.Select(g => new HotlistEntry
                {
                    Id = previous.TryGetValue((g.Plate, g.Region), out var old) ? old.Id : Guid.CreateVersion7(),
                    HotlistId = list.Id, Plate = g.Plate, Region = g.Region, Reason = g.Reason, Reference = g.Reference, Description = g.Description,
                    ExpiresAt = g.ExpiresAt, AddedAt = old?.AddedAt ?? now,
                    AddedVersion = old is not null && old.ExpiresAt == g.ExpiresAt ? old.AddedVersion : version,
                }).ToList();
                // The entries new to the list (they carry this import's time): the look-back checks them against past reads.
                fresh = entries.Where(e => !previous.ContainsKey((e.Plate, e.Region)))
                    .Select(e => new MatchableEntry(e.Id, list.Id, e.Plate, e.Region, AddHotlistEntryCommandHandler.Earliest(e.ExpiresAt, list.ExpiresAt)))
                    .ToList();
                await InsertAsync(entries, ct);
                owed = fresh.Count > 0 ? lookBack.Owe(list.Id, now) : null;
                list.ImportedAt = now;
                await db.SaveChangesAsync(ct);
                await db.AuditAsync(by, "Plates", "hotlist-import", null,
                    new { list = list.Name, lines, imported = entries.Count, replaced, rejected = rejected.Count }, now, ct);
            }
            await tx.CommitAsync(ct);
        }
        if (entries.Count == 0)
            return new HotlistImportDto(list.Id, lines, 0, 0, rejected, 0, list.ImportedAt);
        await cache.ChangedAsync();
        var hits = await lookBack.RunAsync(fresh, owed, ct);
        return new HotlistImportDto(list.Id, lines, entries.Count, replaced, rejected, hits, list.ImportedAt);
    }

    /// <summary>
    /// The entries by one COPY in the caller's transaction: one statement, so the lists' version is bumped once (a statement trigger).
    /// EF's inserts were a statement an entry, and each bump of the one version row in the same transaction cost more than the last:
    /// 10,000 entries took 2.3 s, 20,000 6.6 s, and a file of the 200,000 lines allowed more than 100 s.
    /// </summary>
    private async Task InsertAsync(List<HotlistEntry> entries, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY plates.hotlist_entries (id, hotlist_id, plate, region, reason, reference, description, expires_at, added_at, added_version)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var e in entries)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(e.HotlistId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(e.Plate, NpgsqlDbType.Varchar, ct);
            foreach (var text in new[] { e.Region, e.Reason, e.Reference, e.Description })
                await (text is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(text, NpgsqlDbType.Varchar, ct));
            await (e.ExpiresAt is { } expires ? copy.WriteAsync(expires.UtcDateTime, NpgsqlDbType.TimestampTz, ct) : copy.WriteNullAsync(ct));
            await copy.WriteAsync(e.AddedAt.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(e.AddedVersion, NpgsqlDbType.Bigint, ct);
        }
        await copy.CompleteAsync(ct);
    }
}

// ---- one request: the whole file (automation) ---------------------------------------------------------------------------

internal sealed class ImportHotlistCommandHandler(PlatesDbContext db, HotlistReplacer replacer, TimeProvider clock, IOptions<HotlistOptions> options)
    : ICommandHandler<ImportHotlistCommand, HotlistImportDto>
{
    public async ValueTask<HotlistImportDto> Handle(ImportHotlistCommand c, CancellationToken ct)
    {
        var list = HotlistReplacer.EnsureImportable(await db.Hotlists.FindAsync([c.HotlistId], ct));
        var now = clock.GetUtcNow();
        var lines = c.Csv.ReplaceLineEndings("\n").Split('\n');
        // The file's last line ends with a line break, and blank lines after it are not lines of the extract (as the page counts them).
        var count = lines.Length;
        while (count > 1 && string.IsNullOrWhiteSpace(lines[count - 1]))
            count--;
        lines = lines[..count];
        if (lines.Length > options.Value.MaxImportLines)
            throw new ValidationException([new ValidationFailure("csv", $"The file has {lines.Length} lines; at most {options.Value.MaxImportLines} are accepted.")]);
        var read = HotlistCsv.ForHeader(lines[0]).ReadAll(lines[1..], 2, now);
        HotlistCsv.RejectRepeats(read, []);
        return await replacer.ReplaceAsync(list, read.Where(l => l.Entry is not null).Select(l => l.Entry!).ToList(), read.Count,
            read.Where(l => l.Entry is null).Select(l => new RejectedLineDto(l.Line, l.Rejection!)).ToList(), c.By, null, ct);
    }
}

// ---- in chunks: start, stage, commit (the Hotlists page) ------------------------------------------------------------------

internal static class StagedImports
{
    /// <summary>The caller's own uncommitted import, locked for this transaction so that its chunks and its commit run one at a time.</summary>
    public static async Task<HotlistImport> OpenAsync(PlatesDbContext db, Guid importId, string by, CancellationToken ct)
    {
        var import = await db.HotlistImports.FromSql($"SELECT * FROM plates.hotlist_imports WHERE id = {importId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (import is null || !string.Equals(import.StartedBy, by, StringComparison.OrdinalIgnoreCase))
            throw new DomainRuleException("No such import (it may have been discarded after a day).", 404);
        return import.CommittedAt is null ? import : throw new DomainRuleException("This import was already committed; start a new one.", 409);
    }
}

internal sealed class StartHotlistImportCommandHandler(PlatesDbContext db, TimeProvider clock) : ICommandHandler<StartHotlistImportCommand, HotlistImportStartedDto>
{
    public async ValueTask<HotlistImportStartedDto> Handle(StartHotlistImportCommand c, CancellationToken ct)
    {
        var list = HotlistReplacer.EnsureImportable(await db.Hotlists.FindAsync([c.HotlistId], ct));
        var now = clock.GetUtcNow();
        // Imports left uncommitted for a day are abandoned: their staged lines go (cascade), the record of committed ones stays.
        var abandoned = now.AddDays(-1);
        await db.HotlistImports.Where(i => i.CommittedAt == null && i.StartedAt < abandoned).ExecuteDeleteAsync(ct);
        var import = new HotlistImport { Id = Guid.CreateVersion7(), HotlistId = list.Id, StartedBy = c.By, StartedAt = now };
        db.HotlistImports.Add(import);
        await db.SaveChangesAsync(ct);
        return new HotlistImportStartedDto(import.Id, list.Id, StageHotlistImportCommand.MaxLines);
    }
}

internal sealed class StageHotlistImportCommandValidator : AbstractValidator<StageHotlistImportCommand>
{
    public StageHotlistImportCommandValidator(IOptions<HotlistOptions> options)
    {
        RuleFor(c => c.Header).NotEmpty();
        RuleFor(c => c.FirstLine).GreaterThanOrEqualTo(2).WithMessage("'firstLine' is the file line number of the first line (the header is line 1).");
        RuleFor(c => c.Lines).Cascade(CascadeMode.Stop).NotNull().Must(l => l!.Count is > 0 and <= StageHotlistImportCommand.MaxLines)
            .WithMessage($"Send 1 to {StageHotlistImportCommand.MaxLines} lines per chunk.");
        RuleFor(c => c).Must(c => c.FirstLine + (c.Lines?.Count ?? 0) - 1 <= options.Value.MaxImportLines).WithName("lines")
            .WithMessage($"The file is longer than {options.Value.MaxImportLines} lines.");
    }
}

internal sealed class StageHotlistImportCommandHandler(PlatesDbContext db, TimeProvider clock) : ICommandHandler<StageHotlistImportCommand, HotlistImportChunkDto>
{
    public async ValueTask<HotlistImportChunkDto> Handle(StageHotlistImportCommand c, CancellationToken ct)
    {
        var csv = HotlistCsv.ForHeader(c.Header);
        var lines = c.Lines!;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var import = await StagedImports.OpenAsync(db, c.ImportId, c.By, ct);
        var last = c.FirstLine + lines.Count - 1;
        var staged = await db.HotlistImportLines.AsNoTracking().Where(l => l.ImportId == import.Id && l.Line >= c.FirstLine && l.Line <= last).ToListAsync(ct);
        var blank = lines.Count(string.IsNullOrWhiteSpace);
        if (staged.Count > 0)   // a retried chunk: what it staged the first time
            return new HotlistImportChunkDto(lines.Count, staged.Count(l => l.Rejection is null), blank,
                staged.Where(l => l.Rejection is not null).OrderBy(l => l.Line).Select(l => new RejectedLineDto(l.Line, l.Rejection!)).ToList());

        var read = csv.ReadAll(lines, c.FirstLine, now);
        var plates = read.Where(l => l.Entry is not null).Select(l => l.Entry!.Plate).Distinct().ToList();
        var seen = (await db.HotlistImportLines.AsNoTracking().Where(l => l.ImportId == import.Id && l.Rejection == null && plates.Contains(l.Plate!))
                .Select(l => new { l.Plate, l.Region, l.Line }).ToListAsync(ct))
            .GroupBy(l => (l.Plate!, l.Region)).ToDictionary(g => g.Key, g => g.Min(l => l.Line));
        HotlistCsv.RejectRepeats(read, seen);
        db.HotlistImportLines.AddRange(read.Select(l => new HotlistImportLine
        {
            ImportId = import.Id, Line = l.Line, Plate = l.Entry?.Plate, Region = l.Entry?.Region, Reason = l.Entry?.Reason, Reference = l.Entry?.Reference,
            Description = l.Entry?.Description, ExpiresAt = l.Entry?.ExpiresAt, Rejection = l.Rejection is { Length: > 300 } r ? r[..300] : l.Rejection,
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var rejected = read.Where(l => l.Entry is null).Select(l => new RejectedLineDto(l.Line, l.Rejection!)).ToList();
        return new HotlistImportChunkDto(lines.Count, read.Count - rejected.Count, blank, rejected);
    }
}

internal sealed class CommitHotlistImportCommandHandler(PlatesDbContext db, HotlistReplacer replacer, TimeProvider clock)
    : ICommandHandler<CommitHotlistImportCommand, HotlistImportDto>
{
    public async ValueTask<HotlistImportDto> Handle(CommitHotlistImportCommand c, CancellationToken ct)
    {
        var import = await db.HotlistImports.AsNoTracking().SingleOrDefaultAsync(i => i.Id == c.ImportId, ct);
        var list = HotlistReplacer.EnsureImportable(import is null ? null : await db.Hotlists.FindAsync([import.HotlistId], ct));
        var staged = await db.HotlistImportLines.AsNoTracking().Where(l => l.ImportId == c.ImportId).OrderBy(l => l.Line).ToListAsync(ct);
        var good = staged.Where(l => l.Rejection is null)
            .Select(l => new ParsedHotlistEntry(l.Line, l.Plate!, l.Region, l.Reason, l.Reference, l.Description, l.ExpiresAt)).ToList();
        var rejected = staged.Where(l => l.Rejection is not null).Select(l => new RejectedLineDto(l.Line, l.Rejection!)).ToList();
        // Inside the replacing transaction: the import is locked, still the caller's and still open (a concurrent commit waits, then gets 409).
        return await replacer.ReplaceAsync(list, good, staged.Count, rejected, c.By, async token =>
        {
            var open = await StagedImports.OpenAsync(db, c.ImportId, c.By, token);
            open.CommittedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(token);
            await db.HotlistImportLines.Where(l => l.ImportId == open.Id).ExecuteDeleteAsync(token);
        }, ct);
    }
}
