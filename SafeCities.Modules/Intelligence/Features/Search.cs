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
    /// <summary>False: the person matched, but through no name row the viewer may see (counted as withheld, never shown).</summary>
    public bool Visible { get; init; }
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
        var (persons, withheldByName) = await PersonsAsync(q, plan, ct);
        var vehicles = await VehiclesAsync(q, plan, ct);
        var records = await RecordsAsync(q, plan, ct);
        var withheld = await WithheldAsync(q, persons, withheldByName, vehicles, records, ct);
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

    /// <summary>
    /// What matches but the viewer's rules withhold, counts only: persons whose matching name rows the viewer may not see (from the name
    /// statement itself, <paramref name="withheldByName"/>), and the identifier, address, plate and text arms run again without the viewer's
    /// rules (summary, unsealed, up to the limit), minus what the viewer got.
    /// </summary>
    private async Task<WithheldDto> WithheldAsync(SearchIntelligenceQuery q, List<PersonHitDto> persons, IReadOnlyCollection<Guid> withheldByName,
        List<VehicleHitDto> vehicles, List<RecordDto> records, CancellationToken ct)
    {
        var open = AccessPlan.Unrestricted();
        var seenPersons = persons.Select(p => p.PersonId).ToHashSet();
        var seenVehicles = vehicles.Select(v => v.VehicleId).ToHashSet();
        var seenRecords = records.Select(r => r.Id).ToHashSet();
        var allPersons = withheldByName.ToHashSet();
        allPersons.UnionWith((await OtherPersonArmsAsync(q, open, ct)).Keys);
        var allVehicles = await VehiclesAsync(q, open, ct);
        var allRecords = await RecordsAsync(q, open, ct);
        return new WithheldDto(allPersons.Count(id => !seenPersons.Contains(id)), allVehicles.Count(v => !seenVehicles.Contains(v.VehicleId)),
            allRecords.Count(r => !seenRecords.Contains(r.Id)));
    }

    private async Task<(List<PersonHitDto> Persons, List<Guid> WithheldByName)> PersonsAsync(SearchIntelligenceQuery q, AccessPlan plan, CancellationToken ct)
    {
        var names = !string.IsNullOrWhiteSpace(q.Name) || !string.IsNullOrWhiteSpace(q.DateOfBirth) ? await NamesAsync(q, plan, ct) : [];
        var hits = await OtherPersonArmsAsync(q, plan, ct);
        foreach (var h in names.Where(h => h.Visible))
            Hit(hits, h.PersonId, h.Score, string.IsNullOrWhiteSpace(q.Name) ? "date of birth" : h.Alias ? "alias" : "name");
        var withheldByName = names.Where(h => !h.Visible).Select(h => h.PersonId).ToList();
        if (hits.Count == 0)
            return ([], withheldByName);
        var ids = hits.Keys.ToList();
        var visible = await db.Identities.AsNoTracking().Where(plan.Identities()).Where(i => ids.Contains(i.PersonId))
            .Join(db.Agencies, i => i.AgencyId, a => a.Id, (i, a) => new { i.PersonId, i.FirstName, i.LastName, i.DateOfBirth, Agency = a.Name, i.ReceivedAt })
            .ToListAsync(ct);
        var flags = await FlagsAsync(ids, plan, ct);
        return (visible.GroupBy(v => v.PersonId)
            .Select(g =>
            {
                var first = g.OrderBy(v => v.ReceivedAt).First();
                return new PersonHitDto(g.Key, $"{first.FirstName} {first.LastName}", first.DateOfBirth, Math.Round(hits[g.Key].Score, 3), hits[g.Key].On,
                    g.Select(v => v.Agency).Distinct().Order().ToList(), flags.GetValueOrDefault(g.Key) ?? []);
            })
            .OrderByDescending(p => p.Score).ThenBy(p => p.Name).Take(q.Limit).ToList(), withheldByName);
    }

    private static void Hit(Dictionary<Guid, (double Score, List<string> On)> hits, Guid id, double score, string on)
    {
        var (s, list) = hits.GetValueOrDefault(id, (0, []));
        if (!list.Contains(on))
            list.Add(on);
        hits[id] = (Math.Max(s, score), list);
    }

    /// <summary>The persons an identifier or address matches among those <paramref name="plan"/> lets through, with their score and what matched.</summary>
    private async Task<Dictionary<Guid, (double Score, List<string> On)>> OtherPersonArmsAsync(SearchIntelligenceQuery q, AccessPlan plan, CancellationToken ct)
    {
        var hits = new Dictionary<Guid, (double Score, List<string> On)>();
        if (plan.For(RecordKinds.Person) is null || (string.IsNullOrWhiteSpace(q.Identifier) && string.IsNullOrWhiteSpace(q.Address)))
            return hits;
        var identities = db.Identities.AsNoTracking().Where(plan.Identities());
        if (q.AgencyId is { } agencyId)
            identities = identities.Where(i => i.AgencyId == agencyId);
        if (!string.IsNullOrWhiteSpace(q.Identifier))
        {
            var id = q.Identifier.Trim().ToLowerInvariant();
            var suffix = ":" + id;
            var found = id.Contains(':', StringComparison.Ordinal)
                ? await Newest(identities.Where(i => i.Identifiers.Contains(id)), q.Limit, ct)
                : await Newest(identities.Where(i => i.Identifiers.Any(x => x.EndsWith(suffix))), q.Limit, ct);
            foreach (var p in found)
                Hit(hits, p, 1.0, "identifier");
        }
        if (!string.IsNullOrWhiteSpace(q.Address))
        {
            var pattern = $"%{q.Address.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)}%";
            foreach (var p in await Newest(identities.Where(i => EF.Functions.ILike(i.Address!, pattern)), q.Limit, ct))
                Hit(hits, p, 0.9, "address");
        }
        return hits;
    }

    /// <summary>The persons of the newest <paramref name="limit"/> matching identities (an unordered cap would return any of them, run to run).</summary>
    private static Task<List<Guid>> Newest(IQueryable<PersonIdentity> matching, int limit, CancellationToken ct) =>
        matching.OrderByDescending(i => i.ReceivedAt).ThenBy(i => i.Id).Select(i => i.PersonId).Take(limit).ToListAsync(ct);

    /// <summary>Name rows the name-word statement reads at most (ranked by how well their words match, best first): bounds the work of a
    /// common name (about 2,900 rows carry the commonest surname at 1 M persons) and the withheld count it can give.</summary>
    internal const int MaxCandidateRows = 500;
    /// <summary>Dictionary words kept per word of the query (best first), and (first, last) word pairs probed at most.</summary>
    internal const int MaxWordsPerWord = 30, MaxPairs = 300;

    /// <summary>
    /// The name (and date of birth) arm, in one statement for the viewer's hits and the withheld count (ADR 0058): every matching name row
    /// is read once, unrestricted, and marked visible or not by the viewer's scope; the statement returns the best <c>limit</c> visible persons and the
    /// persons matched through no visible row (at most <see cref="MaxCandidateRows"/>).
    /// <list type="bullet">
    /// <item>A full date of birth (or its transposition) reads that day's names through the date index and keeps those whose name is
    /// trigram-similar or sounds alike (double metaphone), as before.</item>
    /// <item>Otherwise (no date, a year or a month) the query's words are matched against the dictionary of name words
    /// (<c>name_words</c>: exact, same double-metaphone key, trigram-similar, or a prefix), best first, and the name rows of the best
    /// matching (first, last) words are read through the B-tree indexes on (first_name, last_name) and (last_name, first_name), which
    /// carry the person, agency, alias flag and date of birth (index-only scans).</item>
    /// <item>Only if the words find no row at all does the trigram search over whole names run (a misspelling the dictionary does not
    /// reach).</item>
    /// </list>
    /// Ranking is unchanged: trigram similarity of the whole name (word similarity for one word), 0.75 for a sound-alike.
    /// </summary>
    private async Task<List<NameHit>> NamesAsync(SearchIntelligenceQuery q, AccessPlan plan, CancellationToken ct)
    {
        var parameters = new List<NpgsqlParameter>();
        void P(string name, object value, NpgsqlDbType? type = null) =>
            parameters.Add(type is { } t ? new NpgsqlParameter(name, t) { Value = value } : new NpgsqlParameter(name, value));

        var tokens = PersonMatcher.Normalize(q.Name ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!string.IsNullOrWhiteSpace(q.Name) && tokens.Length == 0 && string.IsNullOrWhiteSpace(q.DateOfBirth))
            return [];   // nothing searchable left of the name (punctuation only)

        // the score of a name row (c.first_name, c.last_name), and the old predicate over whole names (trigram / sound-alike / substring)
        var score = "1.0";
        string? namePredicate = null;
        if (tokens.Length >= 2)
        {
            P("name", string.Join(' ', tokens));
            P("first", tokens[0]);
            P("last", tokens[^1]);
            score = """
                greatest(similarity(c.first_name || ' ' || c.last_name, @name),
                         CASE WHEN dmetaphone(c.first_name) = dmetaphone(@first) AND dmetaphone(c.last_name) = dmetaphone(@last) THEN 0.75 ELSE 0 END)
                """;
            namePredicate = "(n.name % @name OR n.phonetic = dmetaphone(@first) || ' ' || dmetaphone(@last))";
        }
        else if (tokens.Length == 1)
        {
            P("name", tokens[0]);
            P("like", $"%{tokens[0]}%");
            score = "word_similarity(@name, c.first_name || ' ' || c.last_name)";
            namePredicate = "(n.name % @name OR n.name LIKE @like)";
        }

        var filters = new List<string>();          // on name rows, whichever way they are found
        string? fullDate = null;                   // a full date of birth (and its transposition)
        string? yearKey = null;                    // a whole year: also the year key of ix_person_names_birth_year_name (old path)
        if (!string.IsNullOrWhiteSpace(q.DateOfBirth) && PartialDate.TryParse(q.DateOfBirth, out var from, out var to, out var swapped))
        {
            P("dobFrom", from);
            P("dobTo", to);
            var range = "n.date_of_birth BETWEEN @dobFrom AND @dobTo";
            if (swapped is { } transposed)
            {
                P("dobSwapped", transposed);
                range = $"({range} OR n.date_of_birth = @dobSwapped)";
            }
            if (from == to)
                fullDate = range;
            else
                filters.Add(range);
            if (from == new DateOnly(from.Year, 1, 1) && to == new DateOnly(from.Year, 12, 31))
            {
                P("dobYear", from.Year);
                yearKey = "date_part('year', n.date_of_birth)::int = @dobYear";
            }
        }
        if (q.AgencyId is { } agencyId)
        {
            P("agency", agencyId);
            filters.Add("n.agency_id = @agency");
        }
        var visible = plan.For(RecordKinds.Person)?.Scope switch
        {
            AccessScopes.All => "true",
            AccessScopes.Shared => "c.agency_id = ANY(@shared)",
            AccessScopes.Supervisees => "c.person_id = ANY(@supervisees)",
            _ => "false",
        };
        P("shared", plan.SharedAgencies.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);
        P("supervisees", plan.Supervisees.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);
        // a visible hit always has an identity the viewer may see (the same scope decides both), so the page's limit is enough (was 2 × limit)
        P("limit", q.Limit);
        P("cap", MaxCandidateRows);

        Task<List<NameHit>> Run(string candidates)
        {
            var sql = $"""
            WITH c AS ({candidates}),
            s AS (SELECT c.person_id, c.is_alias, {visible} AS visible, {score} AS score FROM c),
            h AS (SELECT person_id, coalesce(max(score) FILTER (WHERE visible), 0)::float8 AS score,
                         coalesce(bool_or(is_alias) FILTER (WHERE visible), false) AS alias, bool_or(visible) AS visible
                    FROM s GROUP BY person_id)
            SELECT person_id, score, alias, visible
              FROM (SELECT h.*, row_number() OVER (PARTITION BY visible ORDER BY score DESC, person_id) AS rank FROM h) r
             WHERE rank <= CASE WHEN visible THEN @limit ELSE @cap END
            """;
            return db.Database.SqlQueryRaw<NameHit>(sql, [.. parameters.Select(p => p.Clone())]).ToListAsync(ct);
        }

        string And(IEnumerable<string> conditions) => string.Join("", conditions.Select(c => " AND " + c));
        const string Columns = "n.person_id, n.agency_id, n.is_alias, n.first_name, n.last_name";

        if (fullDate is null && tokens.Length > 0)
        {
            var words = WordsSql(tokens, And(filters), Columns);
            var found = await Run(words);
            if (found.Count > 0)
                return found;
        }
        // A full date of birth narrows to a few dozen names per day (and its transposition) through the date index; fenced (OFFSET 0)
        // so the planner does not also scan the trigram index for the name and AND the bitmaps (measured: 14 ms → under 1 ms at 1.3 M names).
        // Without one this is the fallback when the name's words found nobody: the trigram search over whole names (slow on common words).
        var where = new List<string>(filters);
        if (namePredicate is not null)
            where.Add(namePredicate);
        if (yearKey is not null)
            where.Add(yearKey);
        var source = fullDate is not null
            ? $"(SELECT * FROM intelligence.person_names n WHERE {fullDate} OFFSET 0) n"
            : "intelligence.person_names n";
        return await Run($"SELECT {Columns} FROM {source} WHERE true{And(where)}");
    }

    /// <summary>
    /// The name rows whose words match the query's, best first, at most <see cref="MaxCandidateRows"/>: each query word is looked up in the
    /// dictionary of name words (exact 1, prefix 0.75, same double-metaphone key 0.8, else trigram similarity ≥ 0.3; best
    /// <see cref="MaxWordsPerWord"/>); one word reads the rows with a matching last or first name; two or more pair the first word's matches
    /// with the last word's (either way round) whose scores add up to 1.25 or more, best <see cref="MaxPairs"/> pairs, each an index probe.
    /// </summary>
    /// <summary>The word path's candidate rows for a name (no date, no agency filter) under EXPLAIN (ANALYZE, BUFFERS), for the benchmark to print.</summary>
    internal static NpgsqlCommand ExplainWords(NpgsqlConnection connection, string name)
    {
        var tokens = PersonMatcher.Normalize(name).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var sql = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + WordsSql(tokens, "", "n.person_id, n.agency_id, n.is_alias, n.first_name, n.last_name");
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", string.Join(' ', tokens));
        command.Parameters.AddWithValue("first", tokens[0]);
        command.Parameters.AddWithValue("last", tokens[^1]);
        command.Parameters.AddWithValue("cap", MaxCandidateRows);
        return command;
    }

    private static string WordsSql(string[] tokens, string filters, string columns)
    {
        static string Words(string parameter) => $"""
            SELECT w.word, greatest(similarity(w.word, {parameter}), CASE WHEN w.phonetic = nullif(dmetaphone({parameter}), '') THEN 0.8 ELSE 0 END,
                                    CASE WHEN w.word LIKE {parameter} || '%' THEN 0.75 ELSE 0 END, CASE WHEN w.word = {parameter} THEN 1 ELSE 0 END)::float8 AS s
              FROM intelligence.name_words w
             WHERE w.word % {parameter} OR w.phonetic = nullif(dmetaphone({parameter}), '') OR w.word LIKE {parameter} || '%'
             ORDER BY 2 DESC, 1 LIMIT {MaxWordsPerWord}
            """;
        if (tokens.Length == 1)
            return $"""
                WITH w AS MATERIALIZED ({Words("@name")})
                SELECT n.* FROM (SELECT * FROM w ORDER BY s DESC, word) w
                CROSS JOIN LATERAL (SELECT {columns} FROM intelligence.person_names n WHERE n.last_name = w.word{filters}
                                    UNION ALL
                                    SELECT {columns} FROM intelligence.person_names n WHERE n.first_name = w.word{filters}) n
                LIMIT @cap
                """;
        return $"""
            WITH f AS MATERIALIZED ({Words("@first")}),
                 l AS MATERIALIZED ({Words("@last")}),
                 pairs AS (SELECT f.word AS fw, l.word AS lw, f.s + l.s AS s FROM f, l WHERE f.s + l.s >= 1.25
                           UNION ALL
                           SELECT l.word, f.word, f.s + l.s - 0.1 FROM f, l WHERE f.s + l.s >= 1.25)
            SELECT n.* FROM (SELECT * FROM pairs ORDER BY s DESC, fw, lw LIMIT {MaxPairs}) p
            CROSS JOIN LATERAL (SELECT {columns} FROM intelligence.person_names n WHERE n.first_name = p.fw AND n.last_name = p.lw{filters} OFFSET 0) n
            LIMIT @cap
            """;
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
