using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Plates.Features;

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

    /// <exception cref="ValidationException">The header names no plate column.</exception>
    public static HotlistCsv ForHeader(string? header)
    {
        var csv = new HotlistCsv(CsvLine.Split((header ?? "").TrimStart('\uFEFF')).Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray());
        return csv._plate >= 0 ? csv : throw new ValidationException([new ValidationFailure("header", "The header names no plate column (LIC or plate).")]);
    }

    /// <summary>The entry on a line, or why the line is rejected.</summary>
    public (ParsedHotlistEntry? Entry, string? Rejection) Read(int lineNo, string line, DateTimeOffset now)
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
        var previous = await db.HotlistEntries.AsNoTracking().Where(e => e.HotlistId == list.Id && e.WithdrawnAt == null)
            .ToDictionaryAsync(e => (e.Plate, e.Region), ct);
        var entries = good.Select(g => new HotlistEntry
        {
            Id = previous.TryGetValue((g.Plate, g.Region), out var old) ? old.Id : Guid.CreateVersion7(),
            HotlistId = list.Id, Plate = g.Plate, Region = g.Region, Reason = g.Reason, Reference = g.Reference, Description = g.Description,
            ExpiresAt = g.ExpiresAt, AddedAt = old?.AddedAt ?? now,
        }).ToList();
        var replaced = 0;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (alsoInTransaction is not null)
                await alsoInTransaction(ct);
            if (entries.Count > 0)  // a file with no good line changes nothing
            {
                replaced = await db.HotlistEntries.Where(e => e.HotlistId == list.Id).ExecuteDeleteAsync(ct);
                db.HotlistEntries.AddRange(entries);
                list.ImportedAt = now;
                await db.SaveChangesAsync(ct);
                await db.AuditAsync(by, "Plates", "hotlist-import", null,
                    new { list = list.Name, lines, imported = entries.Count, replaced, rejected = rejected.Count }, now, ct);
            }
            await tx.CommitAsync(ct);
        }
        if (entries.Count == 0)
            return new HotlistImportDto(list.Id, lines, 0, 0, rejected, 0);
        cache.Invalidate();
        var fresh = entries.Where(e => !previous.ContainsKey((e.Plate, e.Region)))
            .Select(e => new MatchableEntry(e.Id, list.Id, e.Plate, e.Region, AddHotlistEntryCommandHandler.Earliest(e.ExpiresAt, list.ExpiresAt))).ToList();
        var hits = await lookBack.RunAsync(fresh, ct);
        return new HotlistImportDto(list.Id, lines, entries.Count, replaced, rejected, hits);
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
        if (lines.Length > options.Value.MaxImportLines)
            throw new ValidationException([new ValidationFailure("csv", $"The file has {lines.Length} lines; at most {options.Value.MaxImportLines} are accepted.")]);
        var csv = HotlistCsv.ForHeader(lines[0]);
        var rejected = new List<RejectedLineDto>();
        var good = new List<ParsedHotlistEntry>();
        var seen = new Dictionary<(string, string?), int>();
        var dataLines = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            dataLines++;
            var (entry, rejection) = csv.Read(i + 1, lines[i], now);
            if (entry is not null && seen.TryGetValue((entry.Plate, entry.Region), out var first))
                (entry, rejection) = (null, $"repeats line {first}");
            if (entry is null)
            {
                rejected.Add(new RejectedLineDto(i + 1, rejection!));
                continue;
            }
            seen[(entry.Plate, entry.Region)] = entry.Line;
            good.Add(entry);
        }
        return await replacer.ReplaceAsync(list, good, dataLines, rejected, c.By, null, ct);
    }
}

// ---- in chunks: start, stage, commit (the Hotlists page) ------------------------------------------------------------------

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
        RuleFor(c => c.Lines).NotNull().Must(l => l!.Count is > 0 and <= StageHotlistImportCommand.MaxLines)
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
        var import = await OpenImportAsync(db, c.ImportId, c.By, ct);
        var last = c.FirstLine + lines.Count - 1;
        var staged = await db.HotlistImportLines.AsNoTracking().Where(l => l.ImportId == import.Id && l.Line >= c.FirstLine && l.Line <= last).ToListAsync(ct);
        var blank = lines.Count(string.IsNullOrWhiteSpace);
        if (staged.Count > 0)   // a retried chunk: what it staged the first time
            return new HotlistImportChunkDto(lines.Count, staged.Count(l => l.Rejection is null), blank,
                staged.Where(l => l.Rejection is not null).OrderBy(l => l.Line).Select(l => new RejectedLineDto(l.Line, l.Rejection!)).ToList());

        var parsed = lines.Select((line, i) => string.IsNullOrWhiteSpace(line) ? default : csv.Read(c.FirstLine + i, line, now)).ToList();
        var plates = parsed.Where(p => p.Entry is not null).Select(p => p.Entry!.Plate).Distinct().ToList();
        var seen = (await db.HotlistImportLines.AsNoTracking().Where(l => l.ImportId == import.Id && l.Rejection == null && plates.Contains(l.Plate!))
                .Select(l => new { l.Plate, l.Region, l.Line }).ToListAsync(ct))
            .GroupBy(l => (l.Plate!, l.Region)).ToDictionary(g => g.Key, g => g.Min(l => l.Line));
        var rejected = new List<RejectedLineDto>();
        for (var i = 0; i < lines.Count; i++)
        {
            var lineNo = c.FirstLine + i;
            var (entry, rejection) = parsed[i];
            if (entry is null && rejection is null)
                continue; // blank
            if (entry is not null && seen.TryGetValue((entry.Plate, entry.Region), out var first))
                (entry, rejection) = (null, $"repeats line {first}");
            if (entry is null)
                rejected.Add(new RejectedLineDto(lineNo, rejection!));
            else
                seen[(entry.Plate, entry.Region)] = lineNo;
            db.HotlistImportLines.Add(new HotlistImportLine
            {
                ImportId = import.Id, Line = lineNo, Plate = entry?.Plate, Region = entry?.Region, Reason = entry?.Reason, Reference = entry?.Reference,
                Description = entry?.Description, ExpiresAt = entry?.ExpiresAt, Rejection = rejection is { Length: > 300 } ? rejection[..300] : rejection,
            });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new HotlistImportChunkDto(lines.Count, lines.Count - blank - rejected.Count, blank, rejected);
    }

    /// <summary>The caller's own uncommitted import, locked for this transaction so that its chunks and its commit run one at a time.</summary>
    internal static async Task<HotlistImport> OpenImportAsync(PlatesDbContext db, Guid importId, string by, CancellationToken ct)
    {
        var import = await db.HotlistImports.FromSql($"SELECT * FROM plates.hotlist_imports WHERE id = {importId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (import is null || !string.Equals(import.StartedBy, by, StringComparison.OrdinalIgnoreCase))
            throw new DomainRuleException("No such import (it may have been discarded after a day).", 404);
        return import.CommittedAt is null ? import : throw new DomainRuleException("This import was already committed; start a new one.", 409);
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
            var open = await StageHotlistImportCommandHandler.OpenImportAsync(db, c.ImportId, c.By, token);
            open.CommittedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(token);
            await db.HotlistImportLines.Where(l => l.ImportId == open.Id).ExecuteDeleteAsync(token);
        }, ct);
    }
}
