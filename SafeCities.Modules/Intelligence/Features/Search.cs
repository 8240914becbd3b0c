using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Intelligence.Resolution;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed partial class SearchIntelligenceQueryValidator : AbstractValidator<SearchIntelligenceQuery>
{
    public SearchIntelligenceQueryValidator(PurposePolicy purposes)
    {
        Include(new StatedPurposeValidator(purposes));
        RuleFor(q => q).Must(q => new[] { q.Name, q.DateOfBirth, q.Identifier, q.Plate, q.Address, q.Text }.Any(s => !string.IsNullOrWhiteSpace(s)) || q.Kind is not null)
            .WithName("Name").WithMessage("Give at least one of name, date of birth, identifier, plate, address, text or kind.");
        RuleFor(q => q.Name).MaximumLength(160);
        RuleFor(q => q.DateOfBirth).Must(d => d is null || PartialDate.TryParse(d, out _, out _, out _))
            .WithMessage("'Date Of Birth' must be yyyy, yyyy-MM or yyyy-MM-dd.");
        RuleFor(q => q.Identifier).MaximumLength(100);
        RuleFor(q => q.Plate).MaximumLength(16);
        RuleFor(q => q.Address).MaximumLength(300);
        RuleFor(q => q.Text).MaximumLength(300);
        RuleFor(q => q.Kind).Must(k => k is null || RecordKinds.All.Contains(k)).WithMessage($"'Kind' must be one of: {string.Join(", ", RecordKinds.All)}.");
        RuleFor(q => q.Limit).InclusiveBetween(1, 100);
        RuleFor(q => q.To).Must((q, to) => to is null || q.From is null || to >= q.From).WithMessage("'To' is before 'From'.");
    }
}

internal static partial class PartialDate
{
    /// <summary>yyyy → the year; yyyy-MM → the month; yyyy-MM-dd → the day (and its day/month transposition as <paramref name="swapped"/>).</summary>
    public static bool TryParse(string text, out DateOnly from, out DateOnly to, out DateOnly? swapped)
    {
        (from, to, swapped) = (default, default, null);
        var m = Pattern().Match(text.Trim());
        if (!m.Success)
            return false;
        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (year < 1900 || year > 2100)
            return false;
        if (!m.Groups[2].Success)
        {
            (from, to) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
            return true;
        }
        var month = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
            return false;
        if (!m.Groups[3].Success)
        {
            from = new DateOnly(year, month, 1);
            to = from.AddMonths(1).AddDays(-1);
            return true;
        }
        var day = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        from = to = new DateOnly(year, month, day);
        if (day <= 12 && day != month && month <= DateTime.DaysInMonth(year, day))
            swapped = new DateOnly(year, day, month);
        return true;
    }

    [GeneratedRegex(@"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")]
    private static partial Regex Pattern();
}

internal sealed class NameHit
{
    public Guid PersonId { get; init; }
    public double Score { get; init; }
    public bool Alias { get; init; }
}

/// <summary>
/// Forgiving search: names by trigram similarity, double-metaphone sound-alike and aliases, partial or transposed dates of birth,
/// identifiers, plates, addresses and full text over narratives; ranked and grouped by person, vehicle and record; only what the
/// viewer's access rules allow; audited with purpose.
/// </summary>
internal sealed class SearchIntelligenceQueryHandler(IntelligenceDbContext db, TimeProvider clock, PurposePolicy purposes) : IQueryHandler<SearchIntelligenceQuery, SearchResultDto>
{
    public async ValueTask<SearchResultDto> Handle(SearchIntelligenceQuery q, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var plan = await AccessPlan.ForAsync(db, q.Viewer, now, ct);
        await Sharing.ThrowIfBlockedAsync(db, q.Viewer, plan, "search", PurposeAudit.Text(q), now, ct);
        var persons = await PersonsAsync(q, plan, ct);
        var vehicles = await VehiclesAsync(q, plan, ct);
        var records = await RecordsAsync(q, plan, ct);
        var withheld = await WithheldAsync(q, persons, vehicles, records, ct);
        var reads = await ReadsAsync(q.Viewer, persons, vehicles, records, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.AuditAsync(q, purposes, "Intelligence", "search", new
        {
            q.Name, q.DateOfBirth, q.Identifier, q.Plate, q.Address, q.Text, q.AgencyId, q.Kind, q.From, q.To, roles = q.Viewer.Roles,
            persons = persons.Count, vehicles = vehicles.Count, records = records.Count, withheld = withheld.Total,
        }, now, ct);
        await Sharing.LogReadsAsync(db, q.Viewer, "search", reads, now, ct);
        await tx.CommitAsync(ct);
        return new SearchResultDto(persons, vehicles, records, withheld);
    }

    /// <summary>What this search shows a viewer of an agency that is not that agency's own, per data class (issue 14).</summary>
    private async Task<Dictionary<string, int>> ReadsAsync(Viewer viewer, List<PersonHitDto> persons, List<VehicleHitDto> vehicles, List<RecordDto> records,
        CancellationToken ct)
    {
        var reads = new Dictionary<string, int>();
        if (viewer.AgencyId is not { } own || persons.Count + vehicles.Count + records.Count == 0)
            return reads;
        var ownName = await db.Agencies.Where(a => a.Id == own).Select(a => a.Name).SingleOrDefaultAsync(ct);
        reads[DataClasses.Persons] = persons.Count(p => p.Agencies.Any(a => a != ownName));
        var vehicleIds = vehicles.Select(v => v.VehicleId).ToList();
        reads[DataClasses.Vehicles] = vehicleIds.Count == 0 ? 0 : await db.Vehicles.CountAsync(v => vehicleIds.Contains(v.Id) && v.AgencyId != own, ct);
        foreach (var r in records.Where(r => r.Agency != ownName))
            reads[DataClasses.Of(r.Kind)] = reads.GetValueOrDefault(DataClasses.Of(r.Kind)) + 1;
        return reads;
    }

    /// <summary>The same search without the viewer's rules (summary, unsealed, up to the limit), minus what the viewer got: counts only.</summary>
    private async Task<WithheldDto> WithheldAsync(SearchIntelligenceQuery q, List<PersonHitDto> persons, List<VehicleHitDto> vehicles, List<RecordDto> records,
        CancellationToken ct)
    {
        var open = AccessPlan.Unrestricted();
        var seenPersons = persons.Select(p => p.PersonId).ToHashSet();
        var seenVehicles = vehicles.Select(v => v.VehicleId).ToHashSet();
        var seenRecords = records.Select(r => r.Id).ToHashSet();
        var allPersons = await PersonIdsAsync(q, open, ct);
        var allVehicles = await VehiclesAsync(q, open, ct);
        var allRecords = await RecordsAsync(q, open, ct);
        return new WithheldDto(allPersons.Keys.Count(id => !seenPersons.Contains(id)), allVehicles.Count(v => !seenVehicles.Contains(v.VehicleId)),
            allRecords.Count(r => !seenRecords.Contains(r.Id)));
    }

    private async Task<List<PersonHitDto>> PersonsAsync(SearchIntelligenceQuery q, AccessPlan plan, CancellationToken ct)
    {
        var hits = await PersonIdsAsync(q, plan, ct);
        if (hits.Count == 0)
            return [];
        var ids = hits.Keys.ToList();
        var visible = await db.Identities.AsNoTracking().Where(plan.Identities()).Where(i => ids.Contains(i.PersonId))
            .Join(db.Agencies, i => i.AgencyId, a => a.Id, (i, a) => new { i.PersonId, i.FirstName, i.LastName, i.DateOfBirth, Agency = a.Name, i.ReceivedAt })
            .ToListAsync(ct);
        var flags = await FlagsAsync(ids, plan, ct);
        return visible.GroupBy(v => v.PersonId)
            .Select(g =>
            {
                var first = g.OrderBy(v => v.ReceivedAt).First();
                return new PersonHitDto(g.Key, $"{first.FirstName} {first.LastName}", first.DateOfBirth, Math.Round(hits[g.Key].Score, 3), hits[g.Key].On,
                    g.Select(v => v.Agency).Distinct().Order().ToList(), flags.GetValueOrDefault(g.Key) ?? []);
            })
            .OrderByDescending(p => p.Score).ThenBy(p => p.Name).Take(q.Limit).ToList();
    }

    /// <summary>The persons the search matches among those <paramref name="plan"/> lets through, with their score and what matched.</summary>
    private async Task<Dictionary<Guid, (double Score, List<string> On)>> PersonIdsAsync(SearchIntelligenceQuery q, AccessPlan plan, CancellationToken ct)
    {
        if (plan.For(RecordKinds.Person) is not { } personAccess)
            return [];
        var hits = new Dictionary<Guid, (double Score, List<string> On)>();
        void Hit(Guid id, double score, string on)
        {
            var (s, list) = hits.GetValueOrDefault(id, (0, []));
            if (!list.Contains(on))
                list.Add(on);
            hits[id] = (Math.Max(s, score), list);
        }

        if (!string.IsNullOrWhiteSpace(q.Name) || !string.IsNullOrWhiteSpace(q.DateOfBirth))
            foreach (var h in await NamesAsync(q, personAccess.Scope, plan, ct))
                Hit(h.PersonId, h.Score, string.IsNullOrWhiteSpace(q.Name) ? "date of birth" : h.Alias ? "alias" : "name");

        var identities = db.Identities.AsNoTracking().Where(plan.Identities());
        if (q.AgencyId is { } agencyId)
            identities = identities.Where(i => i.AgencyId == agencyId);
        if (!string.IsNullOrWhiteSpace(q.Identifier))
        {
            var id = q.Identifier.Trim().ToLowerInvariant();
            var suffix = ":" + id;
            var found = id.Contains(':', StringComparison.Ordinal)
                ? await identities.Where(i => i.Identifiers.Contains(id)).Select(i => i.PersonId).Take(q.Limit).ToListAsync(ct)
                : await identities.Where(i => i.Identifiers.Any(x => x.EndsWith(suffix))).Select(i => i.PersonId).Take(q.Limit).ToListAsync(ct);
            foreach (var p in found)
                Hit(p, 1.0, "identifier");
        }
        if (!string.IsNullOrWhiteSpace(q.Address))
        {
            var pattern = $"%{q.Address.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)}%";
            foreach (var p in await identities.Where(i => EF.Functions.ILike(i.Address!, pattern)).Select(i => i.PersonId).Take(q.Limit).ToListAsync(ct))
                Hit(p, 0.9, "address");
        }
        return hits;
    }

    private async Task<List<NameHit>> NamesAsync(SearchIntelligenceQuery q, string scope, AccessPlan plan, CancellationToken ct)
    {
        var parameters = new List<NpgsqlParameter>();
        NpgsqlParameter P(string name, object value, NpgsqlDbType? type = null)
        {
            var p = type is { } t ? new NpgsqlParameter(name, t) { Value = value } : new NpgsqlParameter(name, value);
            parameters.Add(p);
            return p;
        }
        var where = new List<string>();
        var score = "1.0";
        if (!string.IsNullOrWhiteSpace(q.Name))
        {
            var tokens = PersonMatcher.Normalize(q.Name).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            P("name", string.Join(' ', tokens));
            if (tokens.Length >= 2)
            {
                P("first", tokens[0]);
                P("last", tokens[^1]);
                where.Add("(n.name % @name OR n.phonetic = dmetaphone(@first) || ' ' || dmetaphone(@last))");
                score = "greatest(similarity(n.name, @name), CASE WHEN n.phonetic = dmetaphone(@first) || ' ' || dmetaphone(@last) THEN 0.75 ELSE 0 END)";
            }
            else
            {
                P("like", $"%{tokens.FirstOrDefault() ?? ""}%");
                where.Add("(n.name % @name OR n.name LIKE @like)");
                score = "word_similarity(@name, n.name)";
            }
        }
        string? dobWhere = null;
        if (!string.IsNullOrWhiteSpace(q.DateOfBirth) && PartialDate.TryParse(q.DateOfBirth, out var from, out var to, out var swapped))
        {
            P("dobFrom", from);
            P("dobTo", to);
            dobWhere = "n.date_of_birth BETWEEN @dobFrom AND @dobTo";
            if (swapped is { } transposed)
            {
                P("dobSwapped", transposed);
                dobWhere = $"({dobWhere} OR n.date_of_birth = @dobSwapped)";
            }
            if (from != to)
                where.Add(dobWhere);
            // A whole year is also the year key of the GIN index (birth year, name trigrams): the name's trigram scan then reads that
            // year's entries only, instead of every similar name in the population (scripts/bench search, 1 M persons: p50 33 → 10 ms,
            // p95 66 → 15 ms).
            if (from == new DateOnly(from.Year, 1, 1) && to == new DateOnly(from.Year, 12, 31))
            {
                P("dobYear", from.Year);
                where.Add("date_part('year', n.date_of_birth)::int = @dobYear");
            }
        }
        switch (scope)
        {
            case AccessScopes.All:
                break;
            case AccessScopes.Shared:
                P("shared", plan.SharedAgencies.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);
                where.Add("n.agency_id = ANY(@shared)");
                break;
            default:
                P("supervisees", plan.Supervisees.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);
                where.Add("n.person_id = ANY(@supervisees)");
                break;
        }
        if (q.AgencyId is { } agencyId)
        {
            P("agency", agencyId);
            where.Add("n.agency_id = @agency");
        }
        P("limit", q.Limit * 2);
        // A full date of birth narrows to a few dozen names per day (and its transposition) through the date index; fenced (OFFSET 0)
        // so the planner does not also scan the trigram index for the name and AND the bitmaps (measured: 14 ms → under 1 ms at 1.3 M names).
        var source = dobWhere is not null && !where.Contains(dobWhere)
            ? $"(SELECT * FROM intelligence.person_names n WHERE {dobWhere} OFFSET 0) n"
            : "intelligence.person_names n";
        var sql = $"""
            SELECT n.person_id AS person_id, max({score})::float8 AS score, bool_or(n.is_alias) AS alias
            FROM {source}
            WHERE {(where.Count == 0 ? "true" : string.Join(" AND ", where))}
            GROUP BY n.person_id ORDER BY 2 DESC LIMIT @limit
            """;
        return await db.Database.SqlQueryRaw<NameHit>(sql, [.. parameters]).ToListAsync(ct);
    }

    private async Task<Dictionary<Guid, List<string>>> FlagsAsync(List<Guid> personIds, AccessPlan plan, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await db.Records.AsNoTracking().Where(plan.Records()).Where(r => r.PersonId != null && personIds.Contains(r.PersonId.Value))
            .Select(r => new { PersonId = r.PersonId!.Value, r.Kind, r.Status, r.EndedAt, r.ViolentOffence }).ToListAsync(ct);
        return rows.GroupBy(r => r.PersonId).ToDictionary(g => g.Key, g =>
        {
            var flags = new List<string>();
            if (g.Any(r => r.Kind == RecordKinds.Warrant && r.Status == WarrantStatus.Active))
                flags.Add("active warrant");
            if (g.Any(r => r.Kind == RecordKinds.Supervision && (r.EndedAt == null || r.EndedAt > now)))
                flags.Add("under supervision");
            if (g.Any(r => r.Kind == RecordKinds.Booking && r.EndedAt == null))
                flags.Add("in custody");
            if (g.Count(r => r.Kind == RecordKinds.Booking) >= 2)
                flags.Add("recidivist");
            if (g.Any(r => r.ViolentOffence && plan.For(r.Kind)?.Full == true))
                flags.Add("violent offence history");
            return flags;
        });
    }

    private async Task<List<VehicleHitDto>> VehiclesAsync(SearchIntelligenceQuery q, AccessPlan plan, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q.Plate) || plan.For(RecordKinds.Vehicle) is null)
            return [];
        var plate = Vehicle.NormalizePlate(q.Plate);
        if (plate.Length == 0)
            return [];
        var partial = "%" + plate + "%";
        var vehicles = await db.Vehicles.AsNoTracking().Where(plan.Vehicles())
            .Where(v => EF.Functions.Like(v.Plate, partial))
            .OrderByDescending(v => v.Plate == plate).ThenBy(v => v.Plate.Length).ThenBy(v => v.Plate).Take(q.Limit).ToListAsync(ct);
        var owners = vehicles.Where(v => v.OwnerPersonId != null).Select(v => v.OwnerPersonId!.Value).Distinct().ToList();
        var names = await db.Identities.AsNoTracking().Where(plan.Identities()).Where(i => owners.Contains(i.PersonId))
            .Select(i => new { i.PersonId, Name = i.FirstName + " " + i.LastName }).ToListAsync(ct);
        return vehicles.Select(v => plan.ToDto(v, names.FirstOrDefault(n => n.PersonId == v.OwnerPersonId)?.Name)).ToList();
    }

    private async Task<List<RecordDto>> RecordsAsync(SearchIntelligenceQuery q, AccessPlan plan, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q.Text) && q.Kind is null && string.IsNullOrWhiteSpace(q.Address) && string.IsNullOrWhiteSpace(q.Identifier))
            return [];
        var records = db.Records.AsNoTracking().Where(plan.Records());
        if (q.Kind is { } kind)
            records = records.Where(r => r.Kind == kind);
        if (q.AgencyId is { } agencyId)
            records = records.Where(r => r.AgencyId == agencyId);
        if (q.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            records = records.Where(r => r.StartedAt >= start);
        }
        if (q.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            records = records.Where(r => r.StartedAt < end);
        }
        var text = string.Join(' ', new[] { q.Text, q.Address, q.Identifier }.Where(s => !string.IsNullOrWhiteSpace(s)));
        List<AgencyRecord> found;
        if (text.Length > 0)
        {
            var full = plan.VisibleKinds.Where(k => plan.For(k)!.Full).ToList();
            // Narratives and details are searched only where the viewer sees the full record (a summary must not leak through a match).
            var summaryOnly = string.IsNullOrWhiteSpace(q.Text) ? records : records.Where(r => full.Contains(r.Kind));
            found = await summaryOnly.Where(r => r.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", text)))
                .OrderByDescending(r => r.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", text))).Take(q.Limit).ToListAsync(ct);
        }
        else
        {
            found = await records.OrderByDescending(r => r.StartedAt).Take(q.Limit).ToListAsync(ct);
        }
        var agencies = await db.Agencies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return found.Select(r => plan.ToDto(r, agencies.GetValueOrDefault(r.AgencyId, "?"))).ToList();
    }
}
