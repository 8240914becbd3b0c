using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Lighting.Features;

internal sealed class ImportStreetlightsCommandValidator : AbstractValidator<ImportStreetlightsCommand>
{
    public const int MaxLinesPerChunk = 500;

    public ImportStreetlightsCommandValidator()
    {
        RuleFor(c => c.Header).Custom((header, context) =>
        {
            if (StreetlightCsv.ParseHeader(header).Error is { } error)
                context.AddFailure(nameof(ImportStreetlightsCommand.Header), error);
        });
        RuleFor(c => c.FirstLine).GreaterThanOrEqualTo(2).WithMessage("'firstLine' is the file line number of the first line sent (line 1 is the header).");
        RuleFor(c => c.Lines).NotNull().NotEmpty().WithMessage("Send at least one line.")
            .Must(l => l is null || l.Count <= MaxLinesPerChunk).WithMessage($"Send at most {MaxLinesPerChunk} lines per request.");
        RuleForEach(c => c.Lines).NotNull().WithMessage("A line may not be null (send \"\" for an empty line).");
        RuleFor(c => c.By).NotEmpty();
    }
}

/// <summary>
/// Imports one chunk: every valid line becomes a streetlight (no device key: it is reached through its controller), every bad line
/// is reported with its number and reason, and a name that already exists (in the registry or earlier in the file) is refused, so
/// re-importing a file after an interruption creates no duplicates. A chunk's lights and its audit record commit together.
/// </summary>
internal sealed class ImportStreetlightsCommandHandler(LightingDbContext db, TimeProvider clock) : ICommandHandler<ImportStreetlightsCommand, StreetlightImportResultDto>
{
    public async ValueTask<StreetlightImportResultDto> Handle(ImportStreetlightsCommand command, CancellationToken cancellationToken)
    {
        var columns = StreetlightCsv.ParseHeader(command.Header).Columns!;
        var rejected = new List<ImportRejectionDto>();
        var rows = new List<(int Line, StreetlightRow Row)>();
        var blank = 0;
        var firstByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < command.Lines.Count; i++)
        {
            var number = command.FirstLine + i;
            if (string.IsNullOrWhiteSpace(command.Lines[i]))
            {
                blank++;
                continue;
            }
            var (row, error) = StreetlightCsv.ParseLine(command.Lines[i], columns);
            if (row is null)
                rejected.Add(new ImportRejectionDto(number, error!));
            else if (!firstByName.TryAdd(row.Name, number))
                rejected.Add(new ImportRejectionDto(number, $"Duplicate name '{row.Name}' (already on line {firstByName[row.Name]})."));
            else
                rows.Add((number, row));
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.StreetlightImport})", cancellationToken);
        var lowered = rows.Select(r => r.Row.Name.ToLowerInvariant()).ToList();
        var existing = (await db.Streetlights.Where(l => lowered.Contains(l.Name.ToLower())).Select(l => l.Name).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var imported = 0;
        foreach (var (line, row) in rows)
        {
            if (existing.Contains(row.Name))
            {
                rejected.Add(new ImportRejectionDto(line, $"A streetlight named '{row.Name}' is already registered."));
                continue;
            }
            db.Streetlights.Add(new Streetlight
            {
                Id = Guid.CreateVersion7(), Name = row.Name, Latitude = row.Latitude, Longitude = row.Longitude, Location = GeoMath.Point(row.Latitude, row.Longitude),
                Circuit = row.Circuit, ControllerId = row.ControllerId, NormalLevel = row.NormalLevel, CurrentLevel = row.NormalLevel, RegisteredAt = now,
            });
            imported++;
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditAsync(command.By, "Lighting", "streetlights.imported", null,
            new { command.FirstLine, lines = command.Lines.Count, imported, rejected = rejected.Count }, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new StreetlightImportResultDto(imported, blank, rejected.OrderBy(r => r.Line).ToList());
    }
}
