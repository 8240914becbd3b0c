namespace SafeCities.Modules.Shared.Audit;

/// <summary>
/// A contiguous stretch of the hash chain for verification (scripts/audit-verify): the entries after id <paramref name="After"/> in chain (id)
/// order, unfiltered, at most <paramref name="Limit"/>. The review's export filters by time, user and purpose, which leaves gaps a verifier
/// would report; this one does not. Exporting is itself audited.
/// </summary>
public sealed record ExportAuditChainQuery(string Reviewer, long After = 0, int Limit = 5000) : IQuery<IReadOnlyList<AuditEntryDto>>;

internal sealed class ExportAuditChainQueryValidator : AbstractValidator<ExportAuditChainQuery>
{
    public ExportAuditChainQueryValidator()
    {
        RuleFor(q => q.After).GreaterThanOrEqualTo(0);
        RuleFor(q => q.Limit).InclusiveBetween(1, 50_000);
    }
}

internal sealed class ExportAuditChainQueryHandler(AuditDbContext db, TimeProvider clock) : IQueryHandler<ExportAuditChainQuery, IReadOnlyList<AuditEntryDto>>
{
    public async ValueTask<IReadOnlyList<AuditEntryDto>> Handle(ExportAuditChainQuery q, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<AuditEntryDto>($"""
            SELECT id AS "Id", at AS "At", actor AS "Actor", module AS "Module", action AS "Action", purpose AS "Purpose", details::text AS "Details",
                   prev_hash, hash   -- snake_case names, as the naming convention maps PrevHash
            FROM audit.entries WHERE id > {q.After} ORDER BY id LIMIT {q.Limit}
            """).ToListAsync(ct);
        await db.AuditAsync(q.Reviewer, "Platform", "audit-export-chain", null, new { after = q.After, limit = q.Limit, entries = rows.Count }, clock.GetUtcNow(), ct);
        return rows;
    }
}
