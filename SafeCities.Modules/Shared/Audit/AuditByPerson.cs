namespace SafeCities.Modules.Shared.Audit;

/// <summary>
/// Oversight's first look at the audit log: for each person (never the platform's own <c>system</c> entries), how many look-ups they ran
/// in [<paramref name="From"/>, <paramref name="To"/>) — the entries that state a purpose: plate and person searches, co-location queries,
/// vehicle sightings, record and contact views — under how many different purposes, how many other entries (changes, imports, reviews),
/// and when they were last active. Most look-ups first; at most <paramref name="Limit"/> people, or only <paramref name="Person"/> (in any case)
/// when given. Like every review, audited.
/// </summary>
public sealed record SummarizeAuditByPersonQuery(string Reviewer, DateTimeOffset From, DateTimeOffset To, string? Person = null, int Limit = 50)
    : IQuery<AuditByPersonDto>;

public sealed record AuditPersonDto(string Actor, int LookUps, int Purposes, int Other, DateTimeOffset Last);

/// <param name="People">Everyone active in the period, when there are more than the rows.</param>
public sealed record AuditByPersonDto(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<AuditPersonDto> Rows, int People);

internal sealed class SummarizeAuditByPersonQueryValidator : AbstractValidator<SummarizeAuditByPersonQuery>
{
    public SummarizeAuditByPersonQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, 500);
        RuleFor(q => q.Person).MaximumLength(256);
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'.");
        RuleFor(q => q.From).Must((q, from) => q.To - from <= TimeSpan.FromDays(400)).WithMessage("Review at most 400 days at a time.");
    }
}

internal sealed class SummarizeAuditByPersonQueryHandler(AuditDbContext db, TimeProvider clock) : IQueryHandler<SummarizeAuditByPersonQuery, AuditByPersonDto>
{
    public async ValueTask<AuditByPersonDto> Handle(SummarizeAuditByPersonQuery q, CancellationToken ct)
    {
        // One pass over the period's entries (ix_entries_at); a person is counted once, however many rows are shown.
        var person = string.IsNullOrWhiteSpace(q.Person) ? null : q.Person.Trim().ToLowerInvariant();
        var rows = await db.Database.SqlQuery<PersonRow>($"""
            SELECT actor, count(*) FILTER (WHERE purpose IS NOT NULL)::int AS look_ups, count(DISTINCT purpose)::int AS purposes,
                   count(*) FILTER (WHERE purpose IS NULL)::int AS other, max(at) AS last, (count(*) OVER ())::int AS people   -- snake_case, as the naming convention maps
            FROM audit.entries WHERE at >= {q.From} AND at < {q.To} AND actor <> 'system' AND ({person}::text IS NULL OR lower(actor) = {person})
            GROUP BY actor ORDER BY 2 DESC, 4 DESC, actor LIMIT {q.Limit}
            """).ToListAsync(ct);
        await db.AuditAsync(q.Reviewer, "Platform", "audit-review", null, new { summary = "by-person", from = q.From, to = q.To, person }, clock.GetUtcNow(), ct);
        return new AuditByPersonDto(q.From, q.To, rows.Select(r => new AuditPersonDto(r.Actor, r.LookUps, r.Purposes, r.Other, r.Last)).ToList(),
            rows.FirstOrDefault()?.People ?? 0);
    }

    private sealed record PersonRow(string Actor, int LookUps, int Purposes, int Other, DateTimeOffset Last, int People);
}
