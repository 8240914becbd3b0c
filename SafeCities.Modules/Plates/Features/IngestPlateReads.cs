using Microsoft.Extensions.Configuration;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// The whole batch is checked before anything is written: one bad read refuses the batch (400 naming <c>reads[i].field</c>).
/// </summary>
internal sealed class IngestPlateReadsCommandValidator : AbstractValidator<IngestPlateReadsCommand>
{
    /// <param name="read">One for the app, as this validator is (PlatesModule): building their rules for every batch was 3–4 % of the app's CPU in plates-ingest.</param>
    public IngestPlateReadsCommandValidator(IncomingPlateReadValidator read, PlatesSettingsStore settings)
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
        // Both only when a read is not plausible (IncomingPlateReadValidator.IsPlausible: a read that is passes every rule): the rules'
        // machinery per read (a context and a property path each) was most of validation's cost for a batch of good reads (ADR 0057).
        When(c => c.Reads is not { } reads || !read.AllPlausible(reads), () =>
        {
            RuleForEach(c => c.Reads).NotNull().WithMessage("A read is null.");
            RuleForEach(c => c.Reads).SetValidator(read)
                .WhenAsync(async (c, ct) => c.Reads is { Count: > 0 } reads && reads.Count <= (await settings.GetAsync(ct)).MaxBatchSize);
        });
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
    private readonly TimeProvider clock;
    private readonly TimeSpan skew;
    private readonly int retentionDays;

    public IncomingPlateReadValidator(TimeProvider clock, IOptions<PlatesOptions> options)
    {
        this.clock = clock;
        skew = TimeSpan.FromSeconds(options.Value.MaxClockSkewSeconds);
        retentionDays = options.Value.ReadRetentionDays;
        RuleFor(r => r.ReadId).NotEmpty().MaximumLength(128);
        RuleFor(r => r.Plate).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(PlateNumber.IsValid).WithMessage("'plate' must be 1–10 letters or digits (spaces and hyphens are ignored).");
        RuleFor(r => r.Region).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(r => r!.Trim().Length <= 8 && !r.Any(char.IsControl)).WithMessage("'region' must be 1–8 printable characters.");
        RuleFor(r => r.CapturedAt).Cascade(CascadeMode.Stop).NotNull()
            .Must(t => t <= clock.GetUtcNow() + skew).WithMessage($"'capturedAt' is in the future (more than {skew.TotalSeconds:0} s of clock skew).")
            .Must(t => t!.Value.Year >= 2000).WithMessage("'capturedAt' is not a plausible time.")
            // Past retention it would be purged at once (and its partition may be gone): never stored.
            .Must(t => t >= clock.GetUtcNow().AddDays(-options.Value.ReadRetentionDays))
            .WithMessage($"'capturedAt' is older than the {options.Value.ReadRetentionDays}-day retention of reads.");
        RuleFor(r => r.Confidence).Cascade(CascadeMode.Stop).NotNull().InclusiveBetween(0.0, 1.0);
        RuleFor(r => r.Make).MaximumLength(40);
        RuleFor(r => r.Model).MaximumLength(40);
        RuleFor(r => r.Color).MaximumLength(30);
        RuleFor(r => r.ImageRef).MaximumLength(512);
    }

    /// <summary>
    /// Ingestion's fast path: a read that passes <see cref="IsPlausible"/> passes every rule above, so they are run (about 25 µs
    /// a read, most of a batch's CPU) only for a read that does not, to name what is wrong with it.
    /// </summary>
    protected override bool PreValidate(ValidationContext<IncomingPlateReadDto> context, FluentValidation.Results.ValidationResult result) =>
        !FastPath || context.InstanceToValidate is not { } read || !IsPlausible(read, clock.GetUtcNow());

    /// <summary>Off only in tests that check <see cref="IsPlausible"/> against the rules.</summary>
    internal bool FastPath { get; init; } = true;

    /// <summary>Whether every read is there and <see cref="IsPlausible"/> (then no rule would refuse any of them).</summary>
    internal bool AllPlausible(IReadOnlyList<IncomingPlateReadDto?> reads)
    {
        var now = clock.GetUtcNow();
        foreach (var r in reads)
            if (r is null || !IsPlausible(r, now))
                return false;
        return true;
    }

    /// <summary>The rules above, by hand (keep the two in step).</summary>
    internal bool IsPlausible(IncomingPlateReadDto r, DateTimeOffset now) =>
        !string.IsNullOrWhiteSpace(r.ReadId) && r.ReadId.Length <= 128
        && PlateNumber.IsValid(r.Plate)
        && !string.IsNullOrWhiteSpace(r.Region) && r.Region.Trim().Length <= 8 && !r.Region.Any(char.IsControl)
        && r.CapturedAt is { } t && t <= now + skew && t.Year >= 2000 && t >= now.AddDays(-retentionDays)
        && r.Confidence is >= 0.0 and <= 1.0
        && (r.Make?.Length ?? 0) <= 40 && (r.Model?.Length ?? 0) <= 40 && (r.Color?.Length ?? 0) <= 30 && (r.ImageRef?.Length ?? 0) <= 512;
}

/// <summary>
/// Stores a validated batch with PostgreSQL binary COPY into the day-partitioned <c>plates.plate_reads</c>, in one transaction
/// committed before the answer ("acknowledged means committed"):
/// <list type="number">
/// <item>one round trip takes the arming and hotlist locks (shared) and this reader's lock (so batches of one reader are stored one
/// after another and the duplicate check cannot race), and reads the reader's position, whether an arming of this reader
/// covers the batch and the hotlists' version. The duplicate check (which of the reads looked up the reader already stored) covers only the reads
/// <see cref="RecentPlateReads"/> says this node has seen from the reader; when the unique index objects to another, the
/// transaction is rolled back and the batch stored again with every read checked;</item>
/// <item>the new reads go in with <c>COPY … FROM STDIN (FORMAT BINARY)</c> (partitions of their days made beforehand, on demand);</item>
/// <item>only when an arming covers the batch, one statement ties the new reads to the armed incidents (one linking pass per
/// incident and batch);</item>
/// <item>only when a new read matches a hotlist (matched in memory, alongside the statements above), one statement records the hits
/// (<see cref="HotlistHitRecorder"/>); the hits' events and the armed readers' reports go into Plates' outbox in one more statement —
/// with a <see cref="HotlistCatchUpOwed"/> when the matcher was older than the lists' version (ADR 0062).</item>
/// </list>
/// A read is thus never stored unmatched: its hits commit with it, and Alerts hears of them through the outbox after the commit (off
/// the reader's answer, and again after a crash), ADR 0061.
/// Idempotency is (reader, read id, capture time): a read this reader already sent is a duplicate, never an error. The unique
/// index on the same columns stays as the last line of defence.
/// </summary>
internal sealed class IngestPlateReadsCommandHandler(PlateIngestionDataSource ingestion, PlateReadPartitions partitions, OutboxSqlWriter outbox,
    HotlistMatcherCache matchers, HotlistHitRecorder hits, TimeProvider clock, PlatesMetrics metrics, RecentPlateReads recent)
    : ICommandHandler<IngestPlateReadsCommand, PlateReadsIngestedDto>
{
    private const string Copy = """
        COPY plates.plate_reads (id, reader_id, read_id, plate, region, captured_at, received_at, confidence, make, model, color, image_ref,
                                 latitude, longitude) FROM STDIN (FORMAT BINARY)
        """;

    private const string Link = """
        WITH armed AS MATERIALIZED (
            SELECT a.incident_id, a.window_start, a.window_end, gen_random_uuid() AS pass_id
            FROM plates.reader_armings a
            WHERE a.reader_id = @reader AND a.window_end >= @earliest AND a.window_start <= @latest
        ), linked AS (
            INSERT INTO plates.incident_reads (incident_id, plate_read_id, pass_id, linked_at)
            SELECT armed.incident_id, t.id, armed.pass_id, @now
            FROM unnest(@ids, @captured) AS t(id, captured_at) JOIN armed ON t.captured_at BETWEEN armed.window_start AND armed.window_end
            ON CONFLICT DO NOTHING
            RETURNING pass_id, incident_id, plate_read_id
        )
        SELECT pass_id, incident_id, plate_read_id FROM linked
        """;

    private sealed record Row(Guid Id, IncomingPlateReadDto Read, string Plate, string Region, DateTime CapturedUtc);

    public async ValueTask<PlateReadsIngestedDto> Handle(IngestPlateReadsCommand command, CancellationToken cancellationToken)
    {
        var reads = command.Reads!;
        var now = clock.GetUtcNow();
        // PostgreSQL keeps microseconds: compare and link on the value that is stored.
        var ids = UuidV7.Create(reads.Count, now);
        var rows = reads.Select((r, i) => new Row(ids[i], r, PlateNumber.Normalize(r.Plate)!, r.Region!.Trim().ToUpperInvariant(),
            Microseconds(r.CapturedAt!.Value.UtcDateTime))).ToArray();
        await partitions.EnsureAsync(rows.Select(r => DayPartitions.DayOf(r.CapturedUtc)), cancellationToken);
        // Matched in memory (a million entries: about a microsecond a read) on another thread while the transaction's first statements
        // and the COPY run; recorded in the transaction, for the new reads only, once both are done.
        var (matcher, matcherVersion, _, _) = await matchers.GetAsync(cancellationToken);
        var matched = matcher.Count == 0 ? Task.FromResult(new List<(Row Row, PlateMatch Match)>()) : Task.Run(() =>
        {
            var found = new List<(Row Row, PlateMatch Match)>();
            foreach (var row in rows)
                foreach (var match in matcher.Match(row.Plate, row.Region, now))
                    found.Add((row, match));
            return found;
        }, CancellationToken.None);

        StoredBatch stored;
        try
        {
            // Optimistic: only the reads this node has seen this reader's batches hold (a resent batch, a missed acknowledgement)
            // are looked up first; the unique index catches any other repeat (sent to another node, before a restart), and then
            // the reader's lock makes a retry that checks every read exact (ADR 0057).
            var suspects = recent.Suspects(command.ReaderId, rows.Select(r => (r.Read.ReadId!, r.CapturedUtc)));
            stored = await StoreAsync(command.ReaderId, rows, matched, matcherVersion, now, suspects.Select(i => rows[i]).ToArray(), cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            stored = await StoreAsync(command.ReaderId, rows, matched, matcherVersion, now, rows, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && e.Message.Contains("no partition", StringComparison.Ordinal))
        {
            // A partition this node believed in was dropped meanwhile (retention elsewhere): make it again, once.
            partitions.Forget();
            await partitions.EnsureAsync(rows.Select(r => DayPartitions.DayOf(r.CapturedUtc)), cancellationToken);
            stored = await StoreAsync(command.ReaderId, rows, matched, matcherVersion, now, rows, cancellationToken);
        }
        // Committed: every read of the batch is now stored (fresh or before), so a resend of any of them is a suspect next time.
        recent.Remember(command.ReaderId, rows.Select(r => (r.Read.ReadId!, r.CapturedUtc)));
        metrics.ReadsIngested(stored.Fresh, reads.Count - stored.Fresh);

        outbox.Committed<PlatesDbContext>(stored.Messages);
        if (stored.CatchUp is (var catchUp, var listsVersion))
            _ = CatchUpWhenBuiltAsync(catchUp, listsVersion);
        return new PlateReadsIngestedDto(stored.Fresh, reads.Count - stored.Fresh);
    }

    /// <summary>
    /// The batch's new reads, matched by a matcher older than the lists its transaction read, are checked again once this node's matcher has
    /// caught up (built in the background meanwhile): the message goes to the live dispatch then, not before, so that no worker waits for the
    /// build. If the build fails, or the node dies first, the sweep delivers it.
    /// </summary>
    private async Task CatchUpWhenBuiltAsync(OutboxMessage catchUp, long listsVersion)
    {
        try
        {
            await matchers.AtLeastAsync(listsVersion, CancellationToken.None);
        }
        catch (Exception)
        {
            return;   // the build logged why; the sweep delivers the message
        }
        outbox.Committed<PlatesDbContext>([catchUp]);
    }

    /// <param name="Fresh">How many reads were new.</param>
    /// <param name="Messages">The outbox messages written in the transaction: armed readers' reports and the hits' events.</param>
    /// <param name="CatchUp">Written in the transaction too when the matcher was older than the lists' version the transaction read
    /// (<see cref="HotlistCatchUpOwed"/>), with that version.</param>
    private sealed record StoredBatch(int Fresh, List<OutboxMessage> Messages, (OutboxMessage Message, long ListsVersion)? CatchUp);

    /// <param name="matcherVersion">The hotlists' version the matcher of <paramref name="matched"/> was built from.</param>
    /// <param name="check">The reads looked up as possibly stored before (none: the unique index is trusted to object).</param>
    private async Task<StoredBatch> StoreAsync(Guid readerId, Row[] rows, Task<List<(Row Row, PlateMatch Match)>> matched, long matcherVersion,
        DateTimeOffset now, Row[] check, CancellationToken ct)
    {
        var (earliest, latest) = (rows.Min(r => r.CapturedUtc), rows.Max(r => r.CapturedUtc));
        await using var connection = await ingestion.Source.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        double latitude, longitude;
        string readerName;
        bool armed;
        long listsVersion;
        var existing = new HashSet<(string, DateTime)>();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            // The locks in one statement (the arming lock first, as everywhere); the reads after them in statements of their own, so
            // that they see what was committed before the locks were granted. The hotlist lock (shared) makes a change of the lists wait
            // at its commit for the batches under way (plates.hotlist_change_waits_for_ingestion): a batch either commits before a change,
            // and the change's look-back finds its reads, or reads the lists' version after it, and its reads are caught up (ADR 0062).
            batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock_shared($1), pg_advisory_xact_lock_shared($2), pg_advisory_xact_lock($3, $4)",
                AdvisoryLocks.PlatesArming, AdvisoryLocks.PlatesHotlistChange, AdvisoryLocks.PlateReaderIngestionClass,
                AdvisoryLocks.PlateReaderIngestion(readerId)));
            batch.BatchCommands.Add(Command($"""
                SELECT latitude, longitude, name,
                       EXISTS (SELECT 1 FROM plates.reader_armings WHERE reader_id = $1 AND window_end >= $2 AND window_start <= $3),
                       {HotlistQueries.Version}
                FROM plates.readers WHERE id = $1
                """, readerId, earliest, latest));
            // One probe of the unique index per key, in its day's partition only (the key's time prunes the others as the loop runs),
            // never a scan of the reader's reads in the batch's time range, whatever the statistics say: a LATERAL subquery with a
            // LIMIT (the key is unique anyway), which the planner cannot flatten into a join. As a join, the prepared statement's
            // generic plan, made while the day's partitions were nearly empty, hash-joined every read of the reader in the keys' time
            // range instead (auto_explain in plates-ingest: ~2,000 rows and 0.5–1 ms a batch for 12 keys; ADR 0057, third pass).
            batch.BatchCommands.Add(check.Length > 0
                ? Command("""
                    SELECT r.read_id, r.captured_at FROM unnest($2::text[], $3::timestamptz[]) AS k(read_id, captured_at)
                    CROSS JOIN LATERAL (SELECT p.read_id, p.captured_at FROM plates.plate_reads p
                                        WHERE p.reader_id = $1 AND p.read_id = k.read_id AND p.captured_at = k.captured_at LIMIT 1) r
                    """, readerId, check.Select(r => r.Read.ReadId!).ToArray(), check.Select(r => r.CapturedUtc).ToArray())
                : Command("SELECT NULL::text, NULL::timestamptz WHERE false"));
            // Prepared (once per physical connection; Npgsql keeps them across the pool): planning the look-up against every day
            // partition took a fifth of the session's CPU when planned for every batch (ADR 0057).
            await batch.PrepareAsync(ct);
            await using var result = await batch.ExecuteReaderAsync(ct);
            await result.NextResultAsync(ct); // past the locks' row
            if (!await result.ReadAsync(ct))
                throw new DomainRuleException("This device is not registered with Plates.", 403);
            (latitude, longitude, readerName, armed, listsVersion) =
                (result.GetDouble(0), result.GetDouble(1), result.GetString(2), result.GetBoolean(3), result.GetInt64(4));
            // A change of the lists this node has not built yet: the new matcher is built in the background, not waited for.
            matchers.Saw(listsVersion);
            await result.NextResultAsync(ct);
            while (await result.ReadAsync(ct))
                existing.Add((result.GetString(0), result.GetFieldValue<DateTime>(1)));
        }

        var fresh = rows.Where(r => !existing.Contains((r.Read.ReadId!, r.CapturedUtc))).ToList();
        var messages = new List<OutboxMessage>();
        (OutboxMessage Message, long ListsVersion)? catchUp = null;
        if (fresh.Count > 0)
        {
            await using (var copy = await connection.BeginBinaryImportAsync(Copy, ct))
            {
                var received = now.UtcDateTime;
                foreach (var r in fresh)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(r.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(readerId, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(r.Read.ReadId!, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(r.Plate, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(r.Region, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(r.CapturedUtc, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(received, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(r.Read.Confidence!.Value, NpgsqlDbType.Double, ct);
                    await WriteTextAsync(copy, r.Read.Make, ct);
                    await WriteTextAsync(copy, r.Read.Model, ct);
                    await WriteTextAsync(copy, r.Read.Color, ct);
                    await WriteTextAsync(copy, r.Read.ImageRef, ct);
                    await copy.WriteAsync(latitude, NpgsqlDbType.Double, ct);
                    await copy.WriteAsync(longitude, NpgsqlDbType.Double, ct);
                }
                await copy.CompleteAsync(ct);
            }
            if (armed)
            {
                await using var link = new NpgsqlCommand(Link, connection, transaction);
                link.Parameters.AddWithValue("reader", readerId);
                link.Parameters.AddWithValue("now", now);
                link.Parameters.AddWithValue("earliest", NpgsqlDbType.TimestampTz, fresh.Min(r => r.CapturedUtc));
                link.Parameters.AddWithValue("latest", NpgsqlDbType.TimestampTz, fresh.Max(r => r.CapturedUtc));
                link.Parameters.AddWithValue("ids", fresh.Select(r => r.Id).ToArray());
                link.Parameters.AddWithValue("captured", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, fresh.Select(r => r.CapturedUtc).ToArray());
                await link.PrepareAsync(ct);
                var linked = new List<(Guid Pass, Guid Incident, Guid Read)>();
                await using (var reader = await link.ExecuteReaderAsync(ct))
                    while (await reader.ReadAsync(ct))
                        linked.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2)));
                messages.AddRange(CaptureReports(linked, fresh, readerName, now));
            }
            var newHits = (await matched).Where(m => !existing.Contains((m.Row.Read.ReadId!, m.Row.CapturedUtc))).Select(m => (m.Match,
                new MatchedRead(m.Row.Id, readerId, m.Row.Plate, m.Row.Region, new DateTimeOffset(m.Row.CapturedUtc), latitude, longitude,
                Clean(m.Row.Read.Make), Clean(m.Row.Read.Color), Clean(m.Row.Read.ImageRef)))).ToList();
            messages.AddRange(await hits.RecordAsync(connection, transaction, newHits, retroactive: false, ct));
            if (listsVersion > matcherVersion)
            {
                var id = Guid.CreateVersion7();
                catchUp = (outbox.Message(new HotlistCatchUpOwed(id, readerId, listsVersion, now, new DateTimeOffset(fresh.Min(r => r.CapturedUtc)),
                    new DateTimeOffset(fresh.Max(r => r.CapturedUtc)), [.. fresh.Select(r => r.Id)]), id), listsVersion);
            }
            await outbox.InsertAsync(connection, transaction, PlatesDbContext.Schema, catchUp is { } owed ? [.. messages, owed.Message] : messages, ct);
        }
        await transaction.CommitAsync(ct);
        return new StoredBatch(fresh.Count, messages, catchUp);
    }

    /// <summary>One timeline report per linking pass (one per armed incident), written in the transaction that links the reads.</summary>
    private List<OutboxMessage> CaptureReports(List<(Guid Pass, Guid Incident, Guid Read)> linked, List<Row> fresh, string readerName, DateTimeOffset now)
    {
        if (linked.Count == 0)
            return [];
        var rows = fresh.ToDictionary(r => r.Id);
        var linkedAt = ArmPlateReadersOnIncidentOpenedHandler.Microseconds(now);
        return linked.GroupBy(l => (l.Pass, l.Incident)).Select(pass =>
        {
            var lines = pass.Select(l => rows[l.Read]).Select(r => new LinkedReadLine(r.Plate, r.Region, new DateTimeOffset(r.CapturedUtc),
                Clean(r.Read.Make), Clean(r.Read.Model), Clean(r.Read.Color), readerName)).ToList();
            return outbox.Message(PlatesReports.Captured(pass.Key.Pass, pass.Key.Incident, linkedAt, lines), pass.Key.Pass, OutboxLane.Bulk);
        }).ToList();
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
            command.Parameters.Add(value is DateTime t ? new NpgsqlParameter { Value = t, NpgsqlDbType = NpgsqlDbType.TimestampTz } : new NpgsqlParameter { Value = value });
        return command;
    }

    private static ValueTask WriteTextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        Clean(value) is { } text ? new ValueTask(copy.WriteAsync(text, NpgsqlDbType.Varchar, ct)) : new ValueTask(copy.WriteNullAsync(ct));

    private static DateTime Microseconds(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// The pool plate ingestion's sessions come from: the app's database and settings, returned without a reset (<c>No Reset On Close</c>).
/// A batch's session sets no session state — transaction-scoped advisory locks, prepared statements (which a reset keeps anyway), the
/// COPY, inserts, one transaction — so the reset's seven statements a batch (<c>SET SESSION AUTHORIZATION DEFAULT; RESET ALL; …</c>) did
/// nothing but cost the database CPU (ADR 0057). Keep it so: anything that sets session state takes a connection from the app's pool.
/// </summary>
internal sealed class PlateIngestionDataSource(IConfiguration config) : IAsyncDisposable
{
    public NpgsqlDataSource Source { get; } = ModulePersistence.BuildDataSource(config, noResetOnClose: true);

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}

/// <summary>
/// Which reads of a batch may have been stored before, per node: the keys (read id, capture time) of the last
/// <see cref="PerReader"/> reads of each reader's batches this node committed, as 32-bit fingerprints. Only a hint for what to
/// look up before the COPY (a resent batch, a read whose acknowledgement was lost): a fingerprint that collides costs one index
/// look-up, a repeat it does not know (sent to another node, before a restart, long ago) meets the unique index and the batch is
/// stored again with every read checked. It never decides on its own that a read is a duplicate (ADR 0057).
/// </summary>
internal sealed class RecentPlateReads
{
    /// <summary>Four batches of 250, one of the largest (1,000): about 12 KB a reader.</summary>
    internal const int PerReader = 1024;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Ring> readers = new();

    private sealed class Ring
    {
        public readonly int[] Keys = new int[PerReader];
        public readonly HashSet<int> Set = new(PerReader);
        public int Next;
        public int Count;
    }

    /// <returns>The indexes of the <paramref name="keys"/> seen before from this reader (in order).</returns>
    public List<int> Suspects(Guid readerId, IEnumerable<(string ReadId, DateTime CapturedUtc)> keys)
    {
        var suspects = new List<int>();
        if (!readers.TryGetValue(readerId, out var ring))
            return suspects;
        lock (ring)
        {
            var i = 0;
            foreach (var key in keys)
            {
                if (ring.Set.Contains(Fingerprint(key)))
                    suspects.Add(i);
                i++;
            }
        }
        return suspects;
    }

    /// <summary>Call only after the commit that stored (or found stored) these reads.</summary>
    public void Remember(Guid readerId, IEnumerable<(string ReadId, DateTime CapturedUtc)> keys)
    {
        var ring = readers.GetOrAdd(readerId, _ => new Ring());
        lock (ring)
            foreach (var key in keys)
            {
                var fingerprint = Fingerprint(key);
                if (!ring.Set.Add(fingerprint))
                    continue;
                if (ring.Count == PerReader)
                    ring.Set.Remove(ring.Keys[ring.Next]);
                else
                    ring.Count++;
                ring.Keys[ring.Next] = fingerprint;
                ring.Next = (ring.Next + 1) % PerReader;
            }
    }

    private static int Fingerprint((string ReadId, DateTime CapturedUtc) key) => HashCode.Combine(key.ReadId, key.CapturedUtc.Ticks);
}
