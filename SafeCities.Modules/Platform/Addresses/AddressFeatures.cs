using Microsoft.Extensions.Options;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Platform.Addresses;

internal sealed class ImportAddressPointsCommandValidator : AbstractValidator<ImportAddressPointsCommand>
{
    public const int MaxLinesPerChunk = 500;

    public ImportAddressPointsCommandValidator()
    {
        RuleFor(c => c.Header).Custom((header, context) =>
        {
            if (AddressCsv.ParseHeader(header).Error is { } error)
                context.AddFailure(nameof(ImportAddressPointsCommand.Header), error);
        });
        RuleFor(c => c.FirstLine).GreaterThanOrEqualTo(2).WithMessage("'firstLine' is the file line number of the first line sent (line 1 is the header).");
        RuleFor(c => c.Lines).NotNull().NotEmpty().WithMessage("Send at least one line.")
            .Must(l => l is null || l.Count <= MaxLinesPerChunk).WithMessage($"Send at most {MaxLinesPerChunk} lines per request.");
        RuleForEach(c => c.Lines).NotNull().WithMessage("A line may not be null (send \"\" for an empty line).");
        RuleFor(c => c.By).NotEmpty();
    }
}

/// <summary>Imports one chunk of address points (see <see cref="ImportAddressPointsCommand"/>), the way streetlights are imported.</summary>
internal sealed class ImportAddressPointsCommandHandler(PlatformDbContext db, TimeProvider clock) : ICommandHandler<ImportAddressPointsCommand, AddressImportResultDto>
{
    public async ValueTask<AddressImportResultDto> Handle(ImportAddressPointsCommand command, CancellationToken cancellationToken)
    {
        var columns = AddressCsv.ParseHeader(command.Header).Columns!;
        var rejected = new List<AddressRejectionDto>();
        var rows = new List<(int Line, AddressRow Row)>();
        var firstByKey = new Dictionary<string, int>();
        var blank = 0;
        for (var i = 0; i < command.Lines.Count; i++)
        {
            var number = command.FirstLine + i;
            if (string.IsNullOrWhiteSpace(command.Lines[i]))
            {
                blank++;
                continue;
            }
            var (row, error) = AddressCsv.ParseLine(command.Lines[i], columns);
            if (row is null)
                rejected.Add(new AddressRejectionDto(number, error!));
            else if (!firstByKey.TryAdd(row.Key, number))
                rejected.Add(new AddressRejectionDto(number, $"Duplicate address (already on line {firstByKey[row.Key]})."));
            else
                rows.Add((number, row));
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.AddressImport})", cancellationToken);
        var keys = rows.Select(r => r.Row.Key).ToList();
        var existing = (await db.AddressPoints.Where(a => keys.Contains(a.Key)).Select(a => a.Key).ToListAsync(cancellationToken)).ToHashSet();
        var imported = 0;
        foreach (var (line, row) in rows)
        {
            if (existing.Contains(row.Key))
            {
                rejected.Add(new AddressRejectionDto(line, "This address is already stored."));
                continue;
            }
            db.AddressPoints.Add(new AddressPoint
            {
                Id = Guid.CreateVersion7(), Number = row.Number, Street = row.Street, Place = row.Place, Key = row.Key, Latitude = row.Latitude,
                Longitude = row.Longitude, Location = GeoMath.Point(row.Latitude, row.Longitude), ImportedAt = now, ImportedBy = command.By,
            });
            imported++;
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditAsync(command.By, "Platform", "addresses.imported", null,
            new { command.FirstLine, lines = command.Lines.Count, imported, rejected = rejected.Count }, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new AddressImportResultDto(imported, blank, rejected.OrderBy(r => r.Line).ToList());
    }
}

internal sealed class ReverseGeocodeQueryValidator : AbstractValidator<ReverseGeocodeQuery>
{
    public ReverseGeocodeQueryValidator()
    {
        RuleFor(q => q.Latitude).InclusiveBetween(-90, 90);
        RuleFor(q => q.Longitude).InclusiveBetween(-180, 180);
    }
}

/// <summary>Nearest street address within the street radius, else "near" the nearest named place within the place radius, else null (two indexed look-ups).</summary>
internal sealed class ReverseGeocodeQueryHandler(PlatformDbContext db, IOptions<AddressOptions> options) : IQueryHandler<ReverseGeocodeQuery, string?>
{
    public async ValueTask<string?> Handle(ReverseGeocodeQuery query, CancellationToken cancellationToken)
    {
        var at = GeoMath.Point(query.Latitude, query.Longitude);
        var o = options.Value;
        var street = await db.AddressPoints.AsNoTracking()
            .Where(a => a.Street != null && a.Location.IsWithinDistance(at, o.StreetRadiusMeters))
            .OrderBy(a => a.Location.Distance(at)).Select(a => new { a.Number, a.Street }).FirstOrDefaultAsync(cancellationToken);
        if (street is not null)
            return AddressPoint.StreetAddress(street.Number, street.Street!);
        var place = await db.AddressPoints.AsNoTracking()
            .Where(a => a.Place != null && a.Location.IsWithinDistance(at, o.PlaceRadiusMeters))
            .OrderBy(a => a.Location.Distance(at)).Select(a => a.Place).FirstOrDefaultAsync(cancellationToken);
        return place is null ? null : $"near {place}";
    }
}

internal sealed class CountAddressPointsQueryHandler(PlatformDbContext db) : IQueryHandler<CountAddressPointsQuery, int>
{
    public async ValueTask<int> Handle(CountAddressPointsQuery query, CancellationToken cancellationToken) =>
        await db.AddressPoints.CountAsync(cancellationToken);
}
