using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Intelligence.Resolution;

/// <summary>
/// Stores a batch of one agency's person records and links each to the person it describes (ADR 0053). One mechanism for the API's batch,
/// a single record (a batch of one) and the CSV back-load: under one transaction-scoped advisory lock (so that concurrent batches resolve
/// against each other's committed persons and a record sent twice is one identity), the batch's blocking keys go to PostgreSQL in
/// <b>one</b> set-based candidate query (<see cref="CandidatesSql"/>: exact name either way round, a name word + the same or day/month-swapped
/// birth date, the double-metaphone key + a birth date in a range, a shared identifier — each an index probe), the identities of the candidate
/// persons in a second; <see cref="PersonMatcher"/> scores them in memory in the batch's order, where every record also sees the records
/// before it in the batch through the same keys (<see cref="Keys.Match"/>), so a batch decides exactly what the records one at a time
/// would. The writes are binary COPY (persons, identities, names) and a few set-based statements, in the caller's transaction.
/// </summary>
internal sealed class PersonResolver(IntelligenceDbContext db)
{
    public sealed record Item(int Line, RecordInput Input);

    public async Task<List<IngestedRecordDto>> UpsertAsync(Agency agency, IReadOnlyList<Item> items, DateTimeOffset now, CancellationToken ct)
    {
        if (items.Count == 0)
            return [];
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await Exec(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLocks.PersonResolution})", ct);

        var incoming = items.Select(i => new Incoming(i, Facts(i.Input.Person!))).ToList();
        var existing = await ExistingIdentitiesAsync(connection, agency.Id, incoming.Select(i => i.Item.Input.SourceId).ToArray(), ct);
        var phonetics = await PhoneticsAsync(connection, incoming
            .SelectMany(i => PersonMatcher.NamePairs(i.Facts.FirstName, i.Facts.LastName, i.Facts.Aliases)).SelectMany(n => new[] { n.First, n.Last }), ct);
        foreach (var i in incoming)
            i.Keys = Keys.Of(i.Facts, phonetics);
        var toResolve = incoming.Where(i => !existing.ContainsKey(i.Item.Input.SourceId)).ToList();

        // Candidates from the database for every record to resolve, in two round trips; the batch's own identities overlay them.
        var found = toResolve.Count == 0 ? [] : await CandidatesAsync(connection, toResolve.Select(i => i.Keys), ct);
        var stored = await IdentitiesOfAsync(connection, found.Select(r => r.PersonId).ToHashSet(), ct);
        var rows = new RowIndex(found);
        var overlay = new Dictionary<Guid, Written>();   // identities written by this batch, by id
        var bySource = new Dictionary<string, Written>(StringComparer.Ordinal);
        var batchIndex = new BatchIndex();
        var results = new List<IngestedRecordDto>();
        var newPersons = new List<Person>();
        var personUpdates = new Dictionary<Guid, (DateOnly? Dob, string? Address, string? District)>();

        foreach (var i in incoming)
        {
            var p = i.Item.Input.Person!;
            Written w;
            bool created;
            if (existing.TryGetValue(i.Item.Input.SourceId, out var known))
            {
                created = false;
                w = new Written(known.Id, known.PersonId, known.LinkStatus, known.LinkScore, known.LinkEvidence, IsNew: false);
            }
            else if (bySource.ContainsKey(i.Item.Input.SourceId))
                throw new InvalidOperationException($"Person record '{i.Item.Input.SourceId}' appears twice in one batch (the validator refuses that).");
            else
            {
                created = true;
                var (personId, score, evidence) = Resolve(i, rows, stored, overlay, batchIndex);
                var status = personId is null ? PersonIdentity.New : PersonIdentity.Auto;
                if (personId is null)
                {
                    personId = Guid.CreateVersion7();
                    newPersons.Add(new Person { Id = personId.Value, DisplayName = $"{p.FirstName.Trim()} {p.LastName.Trim()}", CreatedAt = now, UpdatedAt = now });
                }
                w = new Written(Guid.CreateVersion7(), personId.Value, status, score, evidence, IsNew: true);
            }
            w.SourceId = i.Item.Input.SourceId;
            w.Facts = i.Facts;
            w.Keys = i.Keys;
            w.Input = p;
            w.Address = p.Address?.Trim() ?? known?.Address;
            w.District = p.District?.Trim() ?? known?.District;
            overlay[w.Id] = w;
            bySource[w.SourceId] = w;
            batchIndex.Add(w);
            // the person's facts: date of birth kept once known, address and district the latest given
            var u = personUpdates.GetValueOrDefault(w.PersonId);
            personUpdates[w.PersonId] = (u.Dob ?? p.DateOfBirth, w.Address ?? u.Address, w.District ?? u.District);
            results.Add(new IngestedRecordDto(i.Item.Line, i.Item.Input.Kind, i.Item.Input.SourceId, w.Id, w.PersonId, created,
                w.LinkStatus == PersonIdentity.New ? "new person" : $"linked ({w.LinkScore:0.00}): {string.Join("; ", w.LinkEvidence)}"));
        }

        await WriteAsync(connection, agency, overlay.Values.ToList(), newPersons, personUpdates, now, ct);
        return results;
    }

    internal static PersonFacts Facts(PersonInput p) => new(p.FirstName, p.LastName, p.Aliases ?? [], p.DateOfBirth,
        (p.Identifiers ?? new Dictionary<string, string>()).Select(kv => $"{kv.Key.Trim().ToLowerInvariant()}:{kv.Value.Trim().ToLowerInvariant()}").ToList(),
        p.Address?.Trim());

    internal static PersonFacts Facts(PersonIdentity i) => new(i.FirstName, i.LastName, i.Aliases, i.DateOfBirth, i.Identifiers, i.Address);

    // ------------------------------------------------------------------------------------------------ deciding

    private sealed class Incoming(Item item, PersonFacts facts)
    {
        public Item Item { get; } = item;
        public PersonFacts Facts { get; } = facts;
        public Keys Keys { get; set; } = null!;
    }

    /// <summary>An identity this batch writes (new or updated), with what later records of the batch compare against.</summary>
    private sealed record Written(Guid Id, Guid PersonId, string LinkStatus, double LinkScore, List<string> LinkEvidence, bool IsNew)
    {
        public string SourceId { get; set; } = "";
        public PersonFacts Facts { get; set; } = null!;
        public Keys Keys { get; set; } = null!;
        public PersonInput Input { get; set; } = null!;
        public string? Address { get; set; }
        public string? District { get; set; }
    }

    /// <summary>The batch's identities by name word, phonetic key and identifier: every pair that <see cref="Keys.Match"/> can accept shares
    /// one of them, so a record is compared with those of the earlier records only, not with all of them.</summary>
    private sealed class BatchIndex
    {
        private readonly Dictionary<string, List<Written>> byKey = new(StringComparer.Ordinal);

        public void Add(Written w)
        {
            foreach (var key in KeysOf(w.Keys))
            {
                if (!byKey.TryGetValue(key, out var list))
                    byKey[key] = list = [];
                if (list.Count == 0 || list[^1] != w)
                    list.Add(w);
            }
        }

        public IEnumerable<Written> Near(Keys k) =>
            KeysOf(k).SelectMany(key => byKey.GetValueOrDefault(key) ?? []).Distinct();

        private static IEnumerable<string> KeysOf(Keys k) =>
            k.Words.Select(w => "w:" + w).Concat(k.Phonetics.Select(p => "p:" + p)).Concat(k.Identifiers.Select(i => "i:" + i));
    }

    /// <summary>The candidate query's rows by name word and phonetic key (every row a record's <see cref="Keys.Match"/> accepts shares one).</summary>
    private sealed class RowIndex
    {
        private readonly Dictionary<string, List<NameRow>> byKey = new(StringComparer.Ordinal);

        public RowIndex(IEnumerable<NameRow> rows)
        {
            foreach (var r in rows)
                foreach (var key in new[] { "w:" + r.First, "w:" + r.Last, "p:" + r.Phonetic }.Distinct())
                {
                    if (!byKey.TryGetValue(key, out var list))
                        byKey[key] = list = [];
                    list.Add(r);
                }
        }

        public IEnumerable<NameRow> Near(Keys k) =>
            k.Words.Select(w => "w:" + w).Concat(k.Phonetics.Select(p => "p:" + p)).SelectMany(key => byKey.GetValueOrDefault(key) ?? []).Distinct();
    }

    /// <summary>The stored identities of the candidate persons, by person and by identifier.</summary>
    private sealed class StoredIdentities
    {
        public Dictionary<Guid, List<StoredIdentity>> ByPerson { get; } = [];
        private readonly Dictionary<string, List<StoredIdentity>> byIdentifier = new(StringComparer.Ordinal);

        public void Add(StoredIdentity s)
        {
            if (!ByPerson.TryGetValue(s.PersonId, out var list))
                ByPerson[s.PersonId] = list = [];
            list.Add(s);
            foreach (var id in s.Facts.Identifiers)
            {
                if (!byIdentifier.TryGetValue(id, out var ids))
                    byIdentifier[id] = ids = [];
                ids.Add(s);
            }
        }

        public IReadOnlyList<StoredIdentity> WithIdentifier(string identifier) => byIdentifier.GetValueOrDefault(identifier) ?? [];
    }

    private sealed record StoredIdentity(Guid Id, Guid PersonId, PersonFacts Facts);

    private static (Guid? PersonId, double Score, List<string> Evidence) Resolve(Incoming i, RowIndex rows, StoredIdentities stored,
        Dictionary<Guid, Written> overlay, BatchIndex batch)
    {
        var persons = new HashSet<Guid>();
        foreach (var r in rows.Near(i.Keys))
            if (!overlay.ContainsKey(r.IdentityId) && i.Keys.Match(r))
                persons.Add(r.PersonId);
        foreach (var id in i.Keys.Identifiers)
            foreach (var s in stored.WithIdentifier(id))
                if (!overlay.ContainsKey(s.Id))
                    persons.Add(s.PersonId);
        foreach (var w in batch.Near(i.Keys))
            if (w.Keys.Names.Any(n => i.Keys.Match(n.Row(w.PersonId, w.Id))) || i.Keys.SharesIdentifier(w.Facts.Identifiers))
                persons.Add(w.PersonId);
        if (persons.Count == 0)
            return (null, 0, []);
        // every identity of every candidate person, as stored or as this batch leaves it
        var identities = new List<(Guid PersonId, PersonFacts Facts)>();
        foreach (var person in persons)
            if (stored.ByPerson.TryGetValue(person, out var list))
                identities.AddRange(list.Where(s => !overlay.ContainsKey(s.Id)).Select(s => (s.PersonId, s.Facts)));
        identities.AddRange(overlay.Values.Where(w => persons.Contains(w.PersonId)).Select(w => (w.PersonId, w.Facts)));
        // A veto (another SSN, another suffix) against any of a person's records rules the person out: another record of the same
        // person without an SSN must not let the record in through the back door. Among the rest the best score wins; on a tie, the
        // person at the record's address (twins, families), then the earliest person id (deterministic).
        var scored = identities.Select(x => (x.PersonId, Match: PersonMatcher.Compare(i.Facts, x.Facts), SameAddress: SameAddress(i.Facts, x.Facts))).ToList();
        var vetoed = scored.Where(x => x.Match.IsVeto).Select(x => x.PersonId)
            .Except(scored.Where(x => x.Match.IsSharedIdentifier).Select(x => x.PersonId)).ToHashSet();
        var best = scored.Where(x => !vetoed.Contains(x.PersonId))
            .OrderByDescending(x => x.Match.Score).ThenByDescending(x => x.SameAddress).ThenBy(x => x.PersonId).FirstOrDefault();
        if (best.Match is null)
            return (null, 0, []);
        return best.Match.IsLink ? (best.PersonId, best.Match.Score, best.Match.Evidence.ToList()) : (null, best.Match.Score, []);
    }

    private static bool SameAddress(PersonFacts a, PersonFacts b) =>
        a.Address is { Length: > 0 } x && b.Address is { Length: > 0 } y && PersonMatcher.Normalize(x) == PersonMatcher.Normalize(y);

    /// <summary>One row of <c>person_names</c> as the candidate query returns it.</summary>
    internal sealed record NameRow(Guid PersonId, Guid IdentityId, string First, string Last, DateOnly? Dob, string? Phonetic);

    internal sealed record NameKey(string First, string Last, string Phonetic)
    {
        public NameRow Row(Guid personId, Guid identityId) => new(personId, identityId, First, Last, Dob, Phonetic);
        public DateOnly? Dob { get; init; }
    }

    /// <summary>
    /// The blocking keys of one record, and the one predicate that says whether a stored name row is its candidate: the SQL of
    /// <see cref="CandidatesSql"/> finds exactly the rows for which <see cref="Match(NameRow)"/> holds, so the batch's own records are
    /// candidates of each other under the same rule as the database's.
    /// </summary>
    internal sealed class Keys
    {
        public required List<NameKey> Names { get; init; }
        public required DateOnly? Dob { get; init; }
        /// <summary>The date of birth and its day/month swap (for a name word + date key).</summary>
        public required DateOnly[] CloseDates { get; init; }
        /// <summary>Those and the dates one day digit off (for the phonetic key).</summary>
        public required DateOnly[] NearDates { get; init; }
        public required HashSet<string> Words { get; init; }
        public required HashSet<string> Phonetics { get; init; }
        public required string[] Identifiers { get; init; }

        public static Keys Of(PersonFacts f, IReadOnlyDictionary<string, string> phonetic)
        {
            var names = PersonMatcher.NamePairs(f.FirstName, f.LastName, f.Aliases)
                .Select(n => new NameKey(n.First, n.Last, $"{phonetic.GetValueOrDefault(n.First, "")} {phonetic.GetValueOrDefault(n.Last, "")}") { Dob = f.DateOfBirth })
                .ToList();
            var near = DateVariants(f.DateOfBirth);
            return new Keys
            {
                Names = names, Dob = f.DateOfBirth, NearDates = near, CloseDates = near.Take(f.DateOfBirth is { } d && Swap(d) is not null ? 2 : 1).ToArray(),
                Words = names.SelectMany(n => new[] { n.First, n.Last }).Where(w => w.Length > 0).ToHashSet(StringComparer.Ordinal),
                Phonetics = names.Select(n => n.Phonetic).Where(p => p.Trim().Length > 0).ToHashSet(StringComparer.Ordinal),
                Identifiers = [.. f.Identifiers],
            };
        }

        public bool Match(NameRow r)
        {
            foreach (var n in Names)
                if ((r.First == n.First && r.Last == n.Last) || (r.First == n.Last && r.Last == n.First))
                    return true;                                                          // the name, either way round, any birth date
            if (r.Phonetic is null || !Phonetics.Contains(r.Phonetic))
                return Dob is not null && r.Dob is { } d0 && Array.IndexOf(CloseDates, d0) >= 0 && (Words.Contains(r.First) || Words.Contains(r.Last));
            if (Dob is null || r.Dob is null)
                return true;                                                              // same-sounding name, a birth date unknown on one side
            return Array.IndexOf(NearDates, r.Dob.Value) >= 0
                || (Array.IndexOf(CloseDates, r.Dob.Value) >= 0 && (Words.Contains(r.First) || Words.Contains(r.Last)));
        }

        public bool SharesIdentifier(IReadOnlyList<string> identifiers) => Identifiers.Length > 0 && identifiers.Any(x => Array.IndexOf(Identifiers, x) >= 0);
    }

    private static DateOnly? Swap(DateOnly d) =>
        d.Day <= 12 && d.Day != d.Month && DateOnly.TryParseExact($"{d.Year:0000}-{d.Day:00}-{d.Month:00}", "yyyy-MM-dd", out var swapped) ? swapped : null;

    /// <summary>The date, its day/month swap (when it is a date), then the dates with the day up to 9 apart within the same month's first 28 days.</summary>
    private static DateOnly[] DateVariants(DateOnly? dob)
    {
        if (dob is not { } d)
            return [];
        var list = new List<DateOnly> { d };
        if (Swap(d) is { } swapped)
            list.Add(swapped);
        for (var delta = -9; delta <= 9; delta++)
            if (delta != 0 && d.Day + delta is >= 1 and <= 28)
                list.Add(d.AddDays(delta));
        return [.. list.Distinct()];
    }

    // ------------------------------------------------------------------------------------------------ reading

    /// <summary>
    /// The candidate name rows of a whole batch in one statement. Each arm is an equality probe per unnested key (a LATERAL subquery kept
    /// apart by OFFSET 0, so the plan is always a nested loop of index scans: an unnested array's row estimate is a guess, and a hash join
    /// over a seq scan of every name would read them all for each batch) into a B-tree index
    /// of <c>person_names</c>: (first_name, last_name) both ways round; (date_of_birth, first_name) and (date_of_birth, last_name) for a name
    /// word with the same or day/month-swapped date; (phonetic, date_of_birth) for the double-metaphone key with a near date, or with no date
    /// on either side; plus the persons sharing an identifier (GIN on identifiers). The rows' facts are returned so that each record keeps
    /// only its own candidates (<see cref="Keys.Match"/>).
    /// </summary>
    private const string CandidatesSql = """
        WITH hits AS (
          SELECT x.* FROM unnest(@nf::text[], @nl::text[]) k(f, l) CROSS JOIN LATERAL
            (SELECT n.id, n.person_id, n.identity_id, n.first_name, n.last_name, n.date_of_birth, n.phonetic
               FROM intelligence.person_names n WHERE n.first_name = k.f AND n.last_name = k.l OFFSET 0) x
          UNION
          SELECT x.* FROM unnest(@wd::date[], @ww::text[]) k(d, w) CROSS JOIN LATERAL
            (SELECT n.id, n.person_id, n.identity_id, n.first_name, n.last_name, n.date_of_birth, n.phonetic
               FROM intelligence.person_names n WHERE n.date_of_birth = k.d AND n.first_name = k.w OFFSET 0) x
          UNION
          SELECT x.* FROM unnest(@wd::date[], @ww::text[]) k(d, w) CROSS JOIN LATERAL
            (SELECT n.id, n.person_id, n.identity_id, n.first_name, n.last_name, n.date_of_birth, n.phonetic
               FROM intelligence.person_names n WHERE n.date_of_birth = k.d AND n.last_name = k.w OFFSET 0) x
          UNION
          SELECT x.* FROM unnest(@pp::text[], @pd::date[], @pe::date[]) k(p, d, e) CROSS JOIN LATERAL
            (SELECT n.id, n.person_id, n.identity_id, n.first_name, n.last_name, n.date_of_birth, n.phonetic
               FROM intelligence.person_names n WHERE n.phonetic = k.p AND n.date_of_birth BETWEEN k.d AND k.e OFFSET 0) x
          UNION
          SELECT x.* FROM unnest(@np::text[]) k(p) CROSS JOIN LATERAL
            (SELECT n.id, n.person_id, n.identity_id, n.first_name, n.last_name, n.date_of_birth, n.phonetic
               FROM intelligence.person_names n WHERE n.phonetic = k.p AND n.date_of_birth IS NULL OFFSET 0) x
          UNION
          SELECT x.* FROM unnest(@ap::text[]) k(p) CROSS JOIN LATERAL
            (SELECT n.id, n.person_id, n.identity_id, n.first_name, n.last_name, n.date_of_birth, n.phonetic
               FROM intelligence.person_names n WHERE n.phonetic = k.p OFFSET 0) x
        )
        SELECT person_id, identity_id, first_name, last_name, date_of_birth, phonetic FROM hits
        UNION ALL
        SELECT i.person_id, i.id, '', '', NULL, NULL FROM intelligence.person_identities i WHERE @ids::text[] <> '{}' AND i.identifiers && @ids::text[]
        """;

    internal static NpgsqlCommand CandidatesCommand(NpgsqlConnection connection, IEnumerable<Keys> batch)
    {
        var (nf, nl, wd, ww, pp, pd, np, ap, ids) = (new List<string>(), new List<string>(), new List<DateOnly>(), new List<string>(), new List<string>(),
            new List<DateOnly>(), new List<string>(), new List<string>(), new HashSet<string>());
        var pe = new List<DateOnly>();
        foreach (var k in batch)
        {
            foreach (var n in k.Names)
            {
                nf.Add(n.First); nl.Add(n.Last);
                nf.Add(n.Last); nl.Add(n.First);
            }
            foreach (var d in k.CloseDates)
                foreach (var w in k.Words)
                {
                    wd.Add(d); ww.Add(w);
                }
            foreach (var p in k.Phonetics)
            {
                if (k.Dob is null)
                    ap.Add(p);
                else
                {
                    np.Add(p);
                    // one range probe for the near dates (Keys.Match keeps the exact ones), one for the day/month swap
                    var month = k.NearDates.Where(d => d.Month == k.Dob.Value.Month).ToArray();   // the ±9 days stay within the month; the swap does not
                    pp.Add(p); pd.Add(month.Min()); pe.Add(month.Max());
                    if (k.CloseDates.Length > 1)
                    {
                        pp.Add(p); pd.Add(k.CloseDates[1]); pe.Add(k.CloseDates[1]);
                    }
                }
            }
            ids.UnionWith(k.Identifiers);
        }
        var cmd = new NpgsqlCommand(CandidatesSql, connection);
        cmd.Parameters.Add(new NpgsqlParameter("nf", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = nf.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("nl", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = nl.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("wd", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = wd.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("ww", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ww.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("pp", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = pp.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("pd", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = pd.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("pe", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = pe.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("np", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = np.Distinct().ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("ap", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ap.Distinct().ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids.ToArray() });
        return cmd;
    }

    /// <summary>The candidate query of a batch of records under EXPLAIN (ANALYZE, BUFFERS), for the benchmark to print.</summary>
    internal static async Task<NpgsqlCommand> ExplainCandidatesAsync(NpgsqlConnection connection, IReadOnlyList<PersonInput> people, CancellationToken ct)
    {
        var facts = people.Select(Facts).ToList();
        var phonetics = await PhoneticsAsync(connection, facts.SelectMany(f => PersonMatcher.NamePairs(f.FirstName, f.LastName, f.Aliases))
            .SelectMany(n => new[] { n.First, n.Last }), ct);
        var cmd = CandidatesCommand(connection, facts.Select(f => Keys.Of(f, phonetics)));
        cmd.CommandText = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + cmd.CommandText;
        return cmd;
    }

    private static async Task<List<NameRow>> CandidatesAsync(NpgsqlConnection connection, IEnumerable<Keys> batch, CancellationToken ct)
    {
        await using var cmd = CandidatesCommand(connection, batch);
        var rows = new List<NameRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new NameRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        return rows;
    }

    private static async Task<StoredIdentities> IdentitiesOfAsync(NpgsqlConnection connection, HashSet<Guid> persons, CancellationToken ct)
    {
        var result = new StoredIdentities();
        if (persons.Count == 0)
            return result;
        await using var cmd = new NpgsqlCommand("""
            SELECT id, person_id, first_name, last_name, aliases, date_of_birth, identifiers, address
              FROM intelligence.person_identities WHERE person_id = ANY(@p)
            """, connection);
        cmd.Parameters.AddWithValue("p", persons.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var s = new StoredIdentity(reader.GetGuid(0), reader.GetGuid(1), new PersonFacts(reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<string[]>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5), reader.GetFieldValue<string[]>(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
            result.Add(s);
        }
        return result;
    }

    private sealed record ExistingIdentity(Guid Id, Guid PersonId, string LinkStatus, double LinkScore, List<string> LinkEvidence, string? Address, string? District);

    private static async Task<Dictionary<string, ExistingIdentity>> ExistingIdentitiesAsync(NpgsqlConnection connection, Guid agency, string[] sourceIds,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT source_id, id, person_id, link_status, link_score, link_evidence, address, district
              FROM intelligence.person_identities WHERE agency_id = @a AND source_id = ANY(@s)
            """, connection);
        cmd.Parameters.AddWithValue("a", agency);
        cmd.Parameters.AddWithValue("s", sourceIds);
        var result = new Dictionary<string, ExistingIdentity>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result[reader.GetString(0)] = new ExistingIdentity(reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetDouble(4),
                [.. reader.GetFieldValue<string[]>(5)], reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7));
        return result;
    }

    /// <summary>PostgreSQL's own double metaphone of each name word (the same function as the stored <c>phonetic</c> column), one round trip.</summary>
    private static async Task<Dictionary<string, string>> PhoneticsAsync(NpgsqlConnection connection, IEnumerable<string> words, CancellationToken ct)
    {
        var distinct = words.Where(w => w.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("SELECT w, dmetaphone(w) FROM unnest(@w::text[]) w", connection);
        cmd.Parameters.AddWithValue("w", distinct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
        return result;
    }

    // ------------------------------------------------------------------------------------------------ writing

    private static async Task WriteAsync(NpgsqlConnection connection, Agency agency, List<Written> written, List<Person> newPersons,
        Dictionary<Guid, (DateOnly? Dob, string? Address, string? District)> personUpdates, DateTimeOffset now, CancellationToken ct)
    {
        var utc = now.UtcDateTime;
        if (newPersons.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY intelligence.persons (id, display_name, date_of_birth, address, district, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var p in newPersons)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(p.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(p.DisplayName.Length > 200 ? p.DisplayName[..200] : p.DisplayName, NpgsqlDbType.Varchar, ct);
                await copy.WriteNullAsync(ct);
                await copy.WriteNullAsync(ct);
                await copy.WriteNullAsync(ct);
                await copy.WriteAsync(utc, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(utc, NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }

        var updated = written.Where(w => !w.IsNew).ToList();
        if (updated.Count > 0)
        {
            await using (var delete = new NpgsqlCommand("DELETE FROM intelligence.person_names WHERE identity_id = ANY(@i)", connection))
            {
                delete.Parameters.AddWithValue("i", updated.Select(w => w.Id).ToArray());
                await delete.ExecuteNonQueryAsync(ct);
            }
            await using var batch = new NpgsqlBatch(connection);
            foreach (var w in updated)
            {
                var c = new NpgsqlBatchCommand("""
                    UPDATE intelligence.person_identities SET first_name = $2, last_name = $3, middle_name = $4, date_of_birth = $5, aliases = $6,
                           identifiers = $7, address = $8, district = $9, updated_at = $10 WHERE id = $1
                    """);
                var p = w.Input;
                c.Parameters.Add(new NpgsqlParameter { Value = w.Id });
                c.Parameters.Add(new NpgsqlParameter { Value = p.FirstName.Trim() });
                c.Parameters.Add(new NpgsqlParameter { Value = p.LastName.Trim() });
                c.Parameters.Add(new NpgsqlParameter { Value = (object?)p.MiddleName?.Trim() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
                c.Parameters.Add(new NpgsqlParameter { Value = (object?)p.DateOfBirth ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
                c.Parameters.Add(new NpgsqlParameter { Value = Aliases(p), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                c.Parameters.Add(new NpgsqlParameter { Value = w.Facts.Identifiers.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                c.Parameters.Add(new NpgsqlParameter { Value = (object?)w.Address ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
                c.Parameters.Add(new NpgsqlParameter { Value = (object?)w.District ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
                c.Parameters.Add(new NpgsqlParameter { Value = utc, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                batch.BatchCommands.Add(c);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }

        var inserted = written.Where(w => w.IsNew).ToList();
        if (inserted.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync("""
                COPY intelligence.person_identities (id, person_id, agency_id, source_id, first_name, last_name, middle_name, date_of_birth, identifiers,
                  aliases, address, district, link_score, link_status, link_evidence, received_at, updated_at) FROM STDIN (FORMAT BINARY)
                """, ct);
            foreach (var w in inserted)
            {
                var p = w.Input;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(w.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(w.PersonId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(agency.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(w.SourceId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.FirstName.Trim(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.LastName.Trim(), NpgsqlDbType.Varchar, ct);
                await WriteNullable(copy, p.MiddleName?.Trim(), NpgsqlDbType.Varchar, ct);
                if (p.DateOfBirth is { } dob)
                    await copy.WriteAsync(dob, NpgsqlDbType.Date, ct);
                else
                    await copy.WriteNullAsync(ct);
                await copy.WriteAsync(w.Facts.Identifiers.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(Aliases(p), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await WriteNullable(copy, w.Address, NpgsqlDbType.Varchar, ct);
                await WriteNullable(copy, w.District, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(w.LinkScore, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(w.LinkStatus, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(w.LinkEvidence.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(utc, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(utc, NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }

        // names (primary and aliases) of every identity written, for search and for later resolution
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY intelligence.person_names (person_id, identity_id, agency_id, name, first_name, last_name, is_alias, date_of_birth) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var w in written)
                foreach (var (first, last, alias) in PersonMatcher.NamePairs(w.Input.FirstName, w.Input.LastName, Aliases(w.Input)))
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(w.PersonId, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(w.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(agency.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(Cut($"{first} {last}", 200), NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(Cut(first, 80), NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(Cut(last, 80), NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(alias, NpgsqlDbType.Boolean, ct);
                    if (w.Input.DateOfBirth is { } dob)
                        await copy.WriteAsync(dob, NpgsqlDbType.Date, ct);
                    else
                        await copy.WriteNullAsync(ct);
                }
            await copy.CompleteAsync(ct);
        }

        // the persons' own facts: a date of birth once known stays, address and district follow the latest record that gives them
        await using (var update = new NpgsqlCommand("""
            UPDATE intelligence.persons p SET date_of_birth = coalesce(p.date_of_birth, u.dob), address = coalesce(u.address, p.address),
                   district = coalesce(u.district, p.district), updated_at = @now
              FROM unnest(@id::uuid[], @dob::date[], @address::text[], @district::text[]) u(id, dob, address, district)
             WHERE p.id = u.id
            """, connection))
        {
            update.Parameters.AddWithValue("now", utc);
            update.Parameters.AddWithValue("id", personUpdates.Keys.ToArray());
            update.Parameters.Add(new NpgsqlParameter("dob", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = personUpdates.Values.Select(v => (object?)v.Dob ?? DBNull.Value).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("address", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = personUpdates.Values.Select(v => v.Address).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("district", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = personUpdates.Values.Select(v => v.District).ToArray() });
            await update.ExecuteNonQueryAsync(ct);
        }
    }

    private static string[] Aliases(PersonInput p) => p.Aliases?.Select(a => a.Trim()).ToArray() ?? [];

    private static string Cut(string s, int max) => s.Length > max ? s[..max] : s;

    private static async Task WriteNullable(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null)
            await copy.WriteNullAsync(ct);
        else
            await copy.WriteAsync(value, type, ct);
    }

    private static async Task Exec(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
