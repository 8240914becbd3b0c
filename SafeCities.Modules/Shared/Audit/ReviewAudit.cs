namespace SafeCities.Modules.Shared.Audit;

/// <summary>
/// The audit log as administrators and oversight review it: newest first, filtered by time, user, module, action and purpose;
/// <paramref name="Before"/> pages back (the id of the last entry seen); <paramref name="IncludeSystem"/> false leaves out the entries the
/// platform wrote by itself (actor <c>system</c>: automatic co-location, purges), which would bury people's searches. The review itself is audited.
/// </summary>
public sealed record ReviewAuditLogQuery(string Reviewer, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Actor = null, string? Module = null,
    string? Action = null, string? Purpose = null, long? Before = null, int Limit = 200, bool IncludeSystem = true, string TimeZone = "UTC") : IQuery<AuditReviewDto>;

/// <param name="PrevHash">The previous entry's hash and <paramref name="Hash"/> this entry's: the hash chain (ADR 0046).</param>
public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Module, string Action, string? Purpose, string Details, string PrevHash, string Hash);

/// <summary>How many entries of each module and action there were per day (in the query's time zone) in the window (for the chart).</summary>
public sealed record AuditDayCountDto(DateOnly Day, string Module, string Action, int Count);

/// <param name="Kinds">Every module and action in the log, for the filters.</param>
public sealed record AuditReviewDto(IReadOnlyList<AuditEntryDto> Entries, IReadOnlyList<AuditDayCountDto> PerDay, IReadOnlyList<string> Kinds,
    DateTimeOffset From, DateTimeOffset To, bool More);

internal sealed class ReviewAuditLogQueryValidator : AbstractValidator<ReviewAuditLogQuery>
{
    public ReviewAuditLogQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, 5000);
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null).WithMessage("'To' must be after 'From'.");
        RuleFor(q => q.From).Must((q, from) => (q.To ?? DateTimeOffset.UtcNow) - from!.Value <= TimeSpan.FromDays(400))
            .When(q => q.From is not null).WithMessage("Review at most 400 days at a time.");
        RuleFor(q => q.Actor).MaximumLength(256);
        RuleFor(q => q.Module).MaximumLength(40);
        RuleFor(q => q.Action).MaximumLength(80);
        RuleFor(q => q.Purpose).MaximumLength(200);
        RuleFor(q => q.TimeZone).Must(z => TimeZoneInfo.TryFindSystemTimeZoneById(z, out var zone) && zone.HasIanaId).WithMessage("Unknown time zone.");
    }
}

internal sealed class ReviewAuditLogQueryHandler(AuditDbContext db, TimeProvider clock) : IQueryHandler<ReviewAuditLogQuery, AuditReviewDto>
{
    public async ValueTask<AuditReviewDto> Handle(ReviewAuditLogQuery q, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (from, to) = (q.From ?? now.AddDays(-30), q.To ?? now.AddMinutes(1));
        var (actor, module, action, purpose) = (Blank(q.Actor)?.ToLowerInvariant(), Blank(q.Module), Blank(q.Action), Blank(q.Purpose));
        // One filter for the entries and the chart; a null parameter switches its condition off.
        const string Where = """
            at >= @p0 AND at <= @p1 AND (@p2::text IS NULL OR lower(actor) = @p2) AND (@p3::text IS NULL OR module = @p3)
            AND (@p4::text IS NULL OR action = @p4) AND (@p6 OR actor <> 'system')
            AND (@p5::text IS NULL OR purpose ILIKE '%' || @p5 || '%' OR details->>'caseNumber' ILIKE '%' || @p5 || '%')
            """;
        object?[] args = [from, to, actor, module, action, purpose is null ? null : EscapeLike(purpose), q.IncludeSystem, q.Before ?? long.MaxValue, q.Limit + 1];
        var rows = await db.Database.SqlQueryRaw<AuditEntryDto>($"""
            SELECT id AS "Id", at AS "At", actor AS "Actor", module AS "Module", action AS "Action", purpose AS "Purpose", details::text AS "Details",
                   prev_hash, hash   -- snake_case names, as the naming convention maps PrevHash
            FROM audit.entries WHERE {Where} AND id < @p7 ORDER BY id DESC LIMIT @p8
            """, Parameters(args)).ToListAsync(ct);
        // Per day of the city in SQL (the same filter, automatic entries folded or not): the window can hold many thousands of entries,
        // the chart needs a few dozen numbers.
        var perDay = await db.Database.SqlQueryRaw<AuditDayCountDto>($"""
            SELECT (at AT TIME ZONE @p7)::date AS "Day", module AS "Module", action AS "Action", count(*)::int AS "Count"
            FROM audit.entries WHERE {Where} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """, Parameters([.. args[..7], q.TimeZone])).ToListAsync(ct);
        // Every module/action in the log by a skip scan of the (module, action, at) index: one probe per kind, however long the log grows.
        var kinds = await db.Database.SqlQuery<string>($"""
            WITH RECURSIVE k AS (
                (SELECT module, action FROM audit.entries ORDER BY module, action LIMIT 1)
                UNION ALL
                SELECT n.module, n.action FROM k, LATERAL (SELECT e.module, e.action FROM audit.entries e WHERE (e.module, e.action) > (k.module, k.action)
                                                           ORDER BY e.module, e.action LIMIT 1) n)
            SELECT module || '/' || action AS "Value" FROM k ORDER BY 1
            """).ToListAsync(ct);

        // Looking at the log is itself recorded (it shows who searched for what).
        await db.AuditAsync(q.Reviewer, "Platform", "audit-review", null, new { from, to, actor, module, action, purpose, before = q.Before, system = q.IncludeSystem }, now, ct);
        return new AuditReviewDto(rows.Take(q.Limit).ToList(), perDay, kinds, from, to, rows.Count > q.Limit);
    }

    /// <summary>Typed parameters (a null needs its type for <c>IS NULL</c> to be planned).</summary>
    private static object[] Parameters(object?[] values) => values.Select((v, i) => (object)new Npgsql.NpgsqlParameter($"p{i}", v switch
    {
        DateTimeOffset => NpgsqlTypes.NpgsqlDbType.TimestampTz,
        long => NpgsqlTypes.NpgsqlDbType.Bigint,
        int => NpgsqlTypes.NpgsqlDbType.Integer,
        bool => NpgsqlTypes.NpgsqlDbType.Boolean,
        _ => NpgsqlTypes.NpgsqlDbType.Text,
    }) { Value = v ?? DBNull.Value }).ToArray();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
