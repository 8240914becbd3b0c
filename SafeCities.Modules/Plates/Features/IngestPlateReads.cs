using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// The whole batch is checked before anything is written: one bad read refuses the batch (400 naming <c>reads[i].field</c>).
/// </summary>
internal sealed class IngestPlateReadsCommandValidator : AbstractValidator<IngestPlateReadsCommand>
{
    public IngestPlateReadsCommandValidator(TimeProvider clock, IOptions<PlatesOptions> options, PlatesSettingsStore settings)
    {
        RuleFor(c => c.ReaderId).NotEmpty();
        RuleFor(c => c.Reads).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("'reads' is required.")
            .Must(reads => reads!.Count > 0).WithMessage("'reads' is empty: send at least one read.")
            .CustomAsync(async (reads, context, ct) =>
            {
                var max = (await settings.GetAsync(ct)).MaxBatchSize;
                if (reads!.Count > max)
                    context.AddFailure(nameof(IngestPlateReadsCommand.Reads), $"'reads' holds {reads.Count} reads; at most {max} are accepted per batch.");
            });
        // Two rules, not one with CascadeMode.Stop: on a RuleForEach that would stop at the first bad read and leave the others unnamed.
        RuleForEach(c => c.Reads).NotNull().WithMessage("A read is null.");
        RuleForEach(c => c.Reads).SetValidator(new IncomingPlateReadValidator(clock, options))
            .WhenAsync(async (c, ct) => c.Reads is { Count: > 0 } reads && reads.Count <= (await settings.GetAsync(ct)).MaxBatchSize);
        RuleFor(c => c.Reads).Custom((reads, context) =>
        {
            var first = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < reads!.Count; i++)
                if (reads[i]?.ReadId is { Length: > 0 } id && !first.TryAdd(id, i))
                    context.AddFailure($"Reads[{i}].ReadId", $"'readId' repeats reads[{first[id]}].readId in this batch.");
        }).When(c => c.Reads is not null);
    }
}

internal sealed class IncomingPlateReadValidator : AbstractValidator<IncomingPlateReadDto>
{
    public IncomingPlateReadValidator(TimeProvider clock, IOptions<PlatesOptions> options)
    {
        var skew = TimeSpan.FromSeconds(options.Value.MaxClockSkewSeconds);
        RuleFor(r => r.ReadId).NotEmpty().MaximumLength(128);
        RuleFor(r => r.Plate).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(PlateNumber.IsValid).WithMessage("'plate' must be 1–10 letters or digits (spaces and hyphens are ignored).");
        RuleFor(r => r.Region).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(r => r!.Trim().Length <= 8 && !r.Any(char.IsControl)).WithMessage("'region' must be 1–8 printable characters.");
        RuleFor(r => r.CapturedAt).Cascade(CascadeMode.Stop).NotNull()
            .Must(t => t <= clock.GetUtcNow() + skew).WithMessage($"'capturedAt' is in the future (more than {skew.TotalSeconds:0} s of clock skew).")
            .Must(t => t!.Value.Year >= 2000).WithMessage("'capturedAt' is not a plausible time.");
        RuleFor(r => r.Confidence).Cascade(CascadeMode.Stop).NotNull().InclusiveBetween(0.0, 1.0);
        RuleFor(r => r.Make).MaximumLength(40);
        RuleFor(r => r.Model).MaximumLength(40);
        RuleFor(r => r.Color).MaximumLength(30);
        RuleFor(r => r.ImageRef).MaximumLength(512);
    }
}

/// <summary>
/// Stores a validated batch in one round trip: <c>INSERT … ON CONFLICT (reader_id, read_id) DO NOTHING</c> (a read this reader
/// already sent is a duplicate, never an error) and, in the same statement, ties the new reads to every incident whose
/// arming of this reader covers their capture time. Each tied incident gets one report for the batch.
/// </summary>
internal sealed class IngestPlateReadsCommandHandler(PlatesDbContext db, PlateReadPartitions partitions, IncidentReadsReporter reporter, IPublisher publisher, TimeProvider clock,
    ILogger<IngestPlateReadsCommandHandler> logger) : ICommandHandler<IngestPlateReadsCommand, PlateReadsIngestedDto>
{
    private const string Sql = """
        SELECT pg_advisory_xact_lock_shared(@lock);
        WITH reader AS (
            SELECT id, latitude, longitude FROM plates.readers WHERE id = @reader
        ), ins AS (
            INSERT INTO plates.plate_reads (id, reader_id, read_id, plate, region, captured_at, received_at, confidence, make, model, color, image_ref,
                                            latitude, longitude)
            SELECT t.id, reader.id, t.read_id, t.plate, t.region, t.captured_at, @now, t.confidence, t.make, t.model, t.color, t.image_ref,
                   reader.latitude, reader.longitude
            FROM unnest(@ids, @read_ids, @plates, @regions, @captured, @confidences, @makes, @models, @colors, @images)
                AS t(id, read_id, plate, region, captured_at, confidence, make, model, color, image_ref)
            CROSS JOIN reader
            ON CONFLICT (reader_id, read_id, captured_at) DO NOTHING
            RETURNING id, captured_at
        ), armed AS MATERIALIZED (
            SELECT a.incident_id, a.window_start, a.window_end, gen_random_uuid() AS pass_id
            FROM plates.reader_armings a
            WHERE a.reader_id = @reader AND a.window_end >= @earliest AND a.window_start <= @latest
        ), linked AS (
            INSERT INTO plates.incident_reads (incident_id, plate_read_id, pass_id, linked_at)
            SELECT armed.incident_id, ins.id, armed.pass_id, @now
            FROM ins JOIN armed ON ins.captured_at BETWEEN armed.window_start AND armed.window_end
            ON CONFLICT DO NOTHING
            RETURNING pass_id
        )
        SELECT (SELECT count(*) FROM reader)::int, (SELECT count(*) FROM ins)::int, ARRAY(SELECT DISTINCT pass_id FROM linked),
               ARRAY(SELECT id FROM ins), (SELECT latitude FROM reader), (SELECT longitude FROM reader);
        """;

    public async ValueTask<PlateReadsIngestedDto> Handle(IngestPlateReadsCommand command, CancellationToken cancellationToken)
    {
        var reads = command.Reads!;
        var now = clock.GetUtcNow();
        var captured = reads.Select(r => r.CapturedAt!.Value.UtcDateTime).ToArray();

        await partitions.EnsureAsync(captured.Select(PlateReadPartitions.DayOf), cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var ids = reads.Select(_ => Guid.CreateVersion7()).ToArray();
        int readerKnown, accepted;
        Guid[] passes, inserted;
        double? readerLat, readerLon;
        try
        {
            await using var sql = new NpgsqlCommand(Sql, connection);
            sql.Parameters.AddWithValue("lock", PlatesLocks.Arming);
            sql.Parameters.AddWithValue("reader", command.ReaderId);
            sql.Parameters.AddWithValue("now", now);
            sql.Parameters.AddWithValue("earliest", captured.Min());
            sql.Parameters.AddWithValue("latest", captured.Max());
            sql.Parameters.AddWithValue("ids", ids);
            sql.Parameters.AddWithValue("read_ids", reads.Select(r => r.ReadId!).ToArray());
            sql.Parameters.AddWithValue("plates", reads.Select(r => PlateNumber.Normalize(r.Plate)!).ToArray());
            sql.Parameters.AddWithValue("regions", reads.Select(r => r.Region!.Trim().ToUpperInvariant()).ToArray());
            sql.Parameters.AddWithValue("captured", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, captured);
            sql.Parameters.AddWithValue("confidences", reads.Select(r => r.Confidence!.Value).ToArray());
            sql.Parameters.AddWithValue("makes", NpgsqlDbType.Array | NpgsqlDbType.Text, reads.Select(r => Clean(r.Make)).ToArray());
            sql.Parameters.AddWithValue("models", NpgsqlDbType.Array | NpgsqlDbType.Text, reads.Select(r => Clean(r.Model)).ToArray());
            sql.Parameters.AddWithValue("colors", NpgsqlDbType.Array | NpgsqlDbType.Text, reads.Select(r => Clean(r.Color)).ToArray());
            sql.Parameters.AddWithValue("images", NpgsqlDbType.Array | NpgsqlDbType.Text, reads.Select(r => Clean(r.ImageRef)).ToArray());
            await using var result = await sql.ExecuteReaderAsync(cancellationToken);
            await result.NextResultAsync(cancellationToken); // past the advisory lock's empty row
            await result.ReadAsync(cancellationToken);
            (readerKnown, accepted, passes, inserted) = (result.GetInt32(0), result.GetInt32(1), result.GetFieldValue<Guid[]>(2), result.GetFieldValue<Guid[]>(3));
            (readerLat, readerLon) = (result.IsDBNull(4) ? null : result.GetDouble(4), result.IsDBNull(5) ? null : result.GetDouble(5));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        if (readerKnown == 0)
            throw new DomainRuleException("This device is not registered with Plates.", 403);

        if (passes.Length > 0)
        {
            try
            {
                await reporter.ReportAsync(passes, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The reads and their links are committed (and acknowledged below); the sweep reports them.
                logger.LogError(ex, "Reporting {Passes} linking passes of reader {ReaderId} failed; the sweep will retry", passes.Length, command.ReaderId);
            }
        }
        if (inserted.Length > 0)
        {
            var fresh = inserted.ToHashSet();
            await publisher.Publish(new PlateReadsStored(command.ReaderId, readerLat!.Value, readerLon!.Value, reads.Select((r, i) => (r, i))
                .Where(x => fresh.Contains(ids[x.i]))
                .Select(x => new StoredPlateRead(ids[x.i], PlateNumber.Normalize(x.r.Plate)!, x.r.Region!.Trim().ToUpperInvariant(), x.r.CapturedAt!.Value,
                    x.r.Confidence!.Value)).ToList()), cancellationToken);
        }
        return new PlateReadsIngestedDto(accepted, reads.Count - accepted);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// Module-internal: new reads are committed (duplicates excluded). Subscribers inside Plates (hotlist matching…) react after the
/// reads are acknowledged-safe; they must be idempotent and must not lose work if they fail (keep their own marker and sweep).
/// </summary>
internal sealed record PlateReadsStored(Guid ReaderId, double ReaderLatitude, double ReaderLongitude, IReadOnlyList<StoredPlateRead> Reads) : INotification;

internal sealed record StoredPlateRead(Guid Id, string Plate, string Region, DateTimeOffset CapturedAt, double Confidence);
