using System.Text.RegularExpressions;
using SafeCities.AuditVerify;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Intelligence.Features;

/// <summary>
/// Sharing you can see (issue 14, ADR 0041): the rules that say which agencies may receive a data class, checked when an agreement is made
/// and before every query of another agency's analyst; and the log of what other agencies actually read.
/// </summary>
internal static partial class Sharing
{
    [GeneratedRegex("^[A-Z]{2}$")]
    public static partial Regex StateCode();

    /// <summary>The sentences of the enabled rules (of <paramref name="dataClasses"/>, or all) that <paramref name="agency"/> breaks.</summary>
    public static async Task<List<string>> BreachesAsync(IntelligenceDbContext db, Agency agency, IReadOnlyCollection<string>? dataClasses, CancellationToken ct)
    {
        var rules = await db.SharingRules.AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.Name).ToListAsync(ct);
        return rules.Where(r => dataClasses is null || dataClasses.Contains(r.DataClass)).Select(r => r.Breach(agency)).OfType<string>().ToList();
    }

    /// <summary>
    /// Refuses (403, naming the rules) a query by an analyst or API client of an agency that an enabled rule forbids to receive a data class their
    /// access rules would show them — instead of silently showing less. The refusal is audited.
    /// </summary>
    public static async Task ThrowIfBlockedAsync(IntelligenceDbContext db, Viewer viewer, AccessPlan plan, string action, string? purpose, DateTimeOffset now,
        CancellationToken ct)
    {
        if (viewer.AgencyId is not { } agencyId || await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agencyId, ct) is not { } agency)
            return;
        var breaches = await BreachesAsync(db, agency, plan.VisibleKinds.Select(DataClasses.Of).ToHashSet(), ct);
        if (breaches.Count == 0)
            return;
        await db.AuditAsync(viewer.Actor, "Intelligence", "sharing-blocked", purpose, new { action, agencyId, agency = agency.Name, breaches }, now, ct);
        throw new DomainRuleException($"Blocked: {agency.Name} may not receive this data. {string.Join(" ", breaches)}", 403);
    }

    /// <summary>
    /// Logs what another agency was shown, one row per data class with its item count (none for a class with nothing shown), through the caller's
    /// connection: inside the caller's transaction it commits with the read's audit entry. Nothing for a viewer of no agency (the city's staff).
    /// </summary>
    public static async Task LogReadsAsync(IntelligenceDbContext db, Viewer viewer, string action, IReadOnlyDictionary<string, int> itemsByClass, DateTimeOffset now,
        CancellationToken ct)
    {
        if (viewer.AgencyId is not { } agencyId)
            return;
        foreach (var (dataClass, items) in itemsByClass.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal))
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO intelligence.agency_reads (at, agency_id, data_class, items, action, actor)
                VALUES ({now}, {agencyId}, {dataClass}, {items}, {action}, {viewer.Actor})
                """, ct);
    }

    /// <summary>Counts per data class, of the items not owned by the viewer's agency (<paramref name="owner"/> null: the city's data).</summary>
    public static Dictionary<string, int> Count<T>(this Dictionary<string, int> counts, Viewer viewer, bool partOfCity, IEnumerable<T> items, Func<T, string> dataClass,
        Func<T, Guid?> owner)
    {
        foreach (var item in items)
        {
            var o = owner(item);
            if (o == viewer.AgencyId || (o is null && partOfCity))
                continue;
            var c = dataClass(item);
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }
        return counts;
    }
}

internal sealed class SaveSharingRuleCommandValidator : AbstractValidator<SaveSharingRuleCommand>
{
    public SaveSharingRuleCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(160);
        RuleFor(c => c.DataClass).Must(DataClasses.All.Contains).WithMessage($"'Data Class' must be one of: {string.Join(", ", DataClasses.All)}.");
        RuleFor(c => c.AllowedSectors).Must(s => s is null || s.All(AgencySectors.All.Contains))
            .WithMessage($"'Allowed Sectors' must be among: {string.Join(", ", AgencySectors.All)}.");
        RuleFor(c => c.AllowedStates).Must(s => s is null || (s.Count <= 60 && s.All(x => x is not null && Sharing.StateCode().IsMatch(x.Trim().ToUpperInvariant()))))
            .WithMessage("'Allowed States' must be two-letter state codes (at most 60).");
        RuleFor(c => c.DeniedFunctions).Must(s => s is null || s.All(AgencyFunctions.All.Contains))
            .WithMessage($"'Denied Functions' must be among: {string.Join(", ", AgencyFunctions.All)}.");
        RuleFor(c => c).Must(c => (c.AllowedSectors?.Count ?? 0) + (c.AllowedStates?.Count ?? 0) + (c.DeniedFunctions?.Count ?? 0) > 0)
            .WithName("AllowedSectors").WithMessage("A rule must restrict something: allowed sectors, allowed states or denied functions.");
        RuleFor(c => c.Citation).MaximumLength(1000);
    }
}

internal sealed class SaveSharingRuleCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<SaveSharingRuleCommand, SharingRuleDto>
{
    public async ValueTask<SharingRuleDto> Handle(SaveSharingRuleCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rule = c.Id is { } id
            ? await db.SharingRules.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new DomainRuleException("No such sharing rule.", 404)
            : db.SharingRules.Add(new SharingRule { Id = Guid.CreateVersion7(), Name = "", DataClass = "", UpdatedBy = c.By }).Entity;
        var before = c.Id is null ? null : rule.ToDto();
        rule.Name = c.Name.Trim();
        rule.DataClass = c.DataClass;
        rule.AllowedSectors = (c.AllowedSectors ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
        rule.AllowedStates = (c.AllowedStates ?? []).Select(s => s.Trim().ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        rule.DeniedFunctions = (c.DeniedFunctions ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
        rule.Citation = string.IsNullOrWhiteSpace(c.Citation) ? null : c.Citation.Trim();
        rule.Enabled = c.Enabled;
        rule.UpdatedAt = now;
        rule.UpdatedBy = c.By;
        if (await db.SharingRules.AnyAsync(r => r.Name == rule.Name && r.Id != rule.Id, ct))
            throw new DomainRuleException($"A sharing rule named '{rule.Name}' already exists.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new DomainRuleException($"A sharing rule named '{rule.Name}' already exists.");
        }
        await db.AuditAsync(c.By, "Intelligence", c.Id is null ? "add-sharing-rule" : "change-sharing-rule", null, new { before, after = rule.ToDto() }, now, ct);
        await tx.CommitAsync(ct);
        return rule.ToDto();
    }
}

internal sealed class DeleteSharingRuleCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<DeleteSharingRuleCommand, bool>
{
    public async ValueTask<bool> Handle(DeleteSharingRuleCommand c, CancellationToken ct)
    {
        if (await db.SharingRules.SingleOrDefaultAsync(r => r.Id == c.Id, ct) is not { } rule)
            return false;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SharingRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Intelligence", "delete-sharing-rule", null, new { before = rule.ToDto() }, now, ct);
        await tx.CommitAsync(ct);
        return true;
    }
}

internal sealed class ListSharingRulesQueryHandler(IntelligenceDbContext db) : IQueryHandler<ListSharingRulesQuery, IReadOnlyList<SharingRuleDto>>
{
    public async ValueTask<IReadOnlyList<SharingRuleDto>> Handle(ListSharingRulesQuery q, CancellationToken ct) =>
        (await db.SharingRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct)).Select(r => r.ToDto()).ToList();
}

internal sealed class ListSharingAgreementsQueryHandler(IntelligenceDbContext db) : IQueryHandler<ListSharingAgreementsQuery, IReadOnlyList<SharingAgreementDto>>
{
    public async ValueTask<IReadOnlyList<SharingAgreementDto>> Handle(ListSharingAgreementsQuery q, CancellationToken ct)
    {
        var agencies = await db.Agencies.AsNoTracking().ToDictionaryAsync(a => a.Id, ct);
        var rules = await db.SharingRules.AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.Name).ToListAsync(ct);
        var agreements = await db.SharingAgreements.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return agreements.Select(s => new SharingAgreementDto(s.Id, s.FromAgencyId, agencies[s.FromAgencyId].Name, s.ToAgencyId, agencies[s.ToAgencyId].Name,
                s.CreatedAt, s.CreatedBy, rules.Select(r => r.Breach(agencies[s.ToAgencyId])).OfType<string>().ToList()))
            .OrderBy(s => s.ToAgency, StringComparer.Ordinal).ThenBy(s => s.FromAgency, StringComparer.Ordinal).ToList();
    }
}

internal sealed class GetAgencyReadsQueryValidator : MonthlyPeriodValidator<GetAgencyReadsQuery>;

internal sealed class GetAgencyReadsQueryHandler(IntelligenceDbContext db) : IQueryHandler<GetAgencyReadsQuery, AgencyReadsDto>
{
    internal sealed record Row(string Month, string Agency, string Kind, string DataClass, int Reads, int Items);

    public async ValueTask<AgencyReadsDto> Handle(GetAgencyReadsQuery q, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT to_char(r.at AT TIME ZONE {q.TimeZone}, 'YYYY-MM') AS month, a.name AS agency, a.kind, r.data_class,   -- snake_case, as the naming convention maps them
                   count(*)::int AS reads, sum(r.items)::int AS items
            FROM intelligence.agency_reads r JOIN intelligence.agencies a ON a.id = r.agency_id
            WHERE r.at >= {q.From} AND r.at < {q.To}
            GROUP BY 1, 2, 3, 4
            """).ToListAsync(ct);
        var months = rows.GroupBy(r => r.Month).OrderByDescending(g => g.Key, StringComparer.Ordinal)
            .Select(m => new AgencyReadMonthDto(m.Key, m.GroupBy(r => (r.Agency, r.Kind)).OrderBy(g => g.Key.Agency, StringComparer.Ordinal)
                .Select(a => new AgencyReadRowDto(a.Key.Agency, a.Key.Kind, a.OrderBy(r => DataClassOrder(r.DataClass))
                    .Select(r => new AgencyReadCountDto(r.DataClass, r.Reads, r.Items)).ToList())).ToList()))
            .ToList();
        return new AgencyReadsDto(q.TimeZone, q.From, q.To, months);
    }

    private static int DataClassOrder(string dataClass) => DataClasses.All.ToList().IndexOf(dataClass) is var i and >= 0 ? i : int.MaxValue;
}

/// <summary>
/// A UTC day's figures for the daily anchor and the public download (ADR 0055): grouped as the monthly list groups them (agency name, kind, data
/// class), in the canonical order the digest is computed in.
/// </summary>
internal sealed class GetAgencyReadsDayQueryHandler(IntelligenceDbContext db) : IQueryHandler<GetAgencyReadsDayQuery, IReadOnlyList<AgencyReadsDayRowDto>>
{
    internal sealed record Row(string Agency, string Kind, string DataClass, long Reads, long Items);

    public async ValueTask<IReadOnlyList<AgencyReadsDayRowDto>> Handle(GetAgencyReadsDayQuery q, CancellationToken ct)
    {
        var from = new DateTimeOffset(q.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1);
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT a.name AS agency, a.kind, r.data_class, count(*) AS reads, sum(r.items)::bigint AS items
            FROM intelligence.agency_reads r JOIN intelligence.agencies a ON a.id = r.agency_id
            WHERE r.at >= {from} AND r.at < {to}
            GROUP BY 1, 2, 3
            """).ToListAsync(ct);
        return AuditChainFormat.Canonical(rows.Select(r => new AuditChainFormat.AgencyReadsRow(r.Agency, r.Kind, r.DataClass, r.Reads, r.Items)))
            .Select(r => new AgencyReadsDayRowDto(r.Agency, r.Kind, r.DataClass, r.Reads, r.Items)).ToList();
    }
}

internal sealed class GetAgencySharingStatusQueryHandler(IntelligenceDbContext db) : IQueryHandler<GetAgencySharingStatusQuery, AgencySharingStatusDto?>
{
    public async ValueTask<AgencySharingStatusDto?> Handle(GetAgencySharingStatusQuery q, CancellationToken ct)
    {
        if (await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == q.AgencyId, ct) is not { } agency)
            return null;
        return new AgencySharingStatusDto(agency.Id, agency.Name, agency.PartOfCity, await Sharing.BreachesAsync(db, agency, q.DataClasses, ct));
    }
}

internal sealed class RecordAgencyReadCommandValidator : AbstractValidator<RecordAgencyReadCommand>
{
    public RecordAgencyReadCommandValidator()
    {
        RuleFor(c => c.AgencyId).NotEmpty();
        RuleFor(c => c.DataClass).Must(DataClasses.All.Contains).WithMessage($"'Data Class' must be one of: {string.Join(", ", DataClasses.All)}.");
        RuleFor(c => c.Items).GreaterThan(0);
        RuleFor(c => c.Action).NotEmpty().MaximumLength(40);
        RuleFor(c => c.Actor).NotEmpty().MaximumLength(256);
    }
}

/// <summary>The same row <see cref="Sharing.LogReadsAsync"/> writes for Intelligence's own reads, for a read made through another module (ADR 0051).</summary>
internal sealed class RecordAgencyReadCommandHandler(IntelligenceDbContext db) : ICommandHandler<RecordAgencyReadCommand>
{
    public async ValueTask<Unit> Handle(RecordAgencyReadCommand c, CancellationToken ct)
    {
        await Sharing.LogReadsAsync(db, new Viewer(c.Actor, [], c.AgencyId), c.Action, new Dictionary<string, int> { [c.DataClass] = c.Items }, c.At, ct);
        return Unit.Value;
    }
}
