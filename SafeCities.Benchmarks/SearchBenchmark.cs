using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bogus;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Benchmarks;

/// <summary>
/// <c>search [--persons 1000000] [--records 3000000] [--queries 300] [--runs 3] [--no-resolution]</c>: generates a population (Bogus en_US
/// names; a share of persons known to a second agency under a misspelt name, an alias or a transposed date of birth), loads it with binary
/// COPY straight into the Intelligence tables (secondary indexes dropped during the load and rebuilt after), then times searches through
/// the HTTP API (<c>GET /api/v1/intelligence/search</c>) as a signed-in analyst of the police agency (session cookie, a purpose): name +
/// date of birth, name only (full name, surname only, first name only), alias, each kind timed separately, <c>--runs</c> passes over the
/// same data; and finally measures entity resolution precision/recall by ingesting generated near-duplicates with known truth through the
/// real ingestion command.
/// </summary>
internal static class SearchBenchmark
{
    public const string Name = "search";

    private sealed record Sample(Guid PersonId, string First, string Last, DateOnly Dob, string? VariantFirst, string? VariantLast, DateOnly? VariantDob,
        string? Alias = null);

    private static readonly string[] LoadedTables = ["persons", "person_identities", "person_names", "records"];
    private static readonly string[] Kinds = [RecordKinds.Booking, RecordKinds.Supervision, RecordKinds.Warrant, RecordKinds.CourtCase, RecordKinds.CallForService];

    public static async Task<int> RunAsync(string[] args)
    {
        var persons = BenchSupport.Arg(args, "--persons", 1_000_000);
        var records = BenchSupport.Arg(args, "--records", 3_000_000);
        var queries = BenchSupport.Arg(args, "--queries", 300);
        var runs = BenchSupport.Arg(args, "--runs", 3);
        var report = new JsonObject { ["persons"] = persons, ["records"] = records, ["queries"] = queries, ["runs"] = runs };
        await using var host = await BenchHost.StartAsync();
        var total = Stopwatch.StartNew();

        var agencies = new Dictionary<string, Guid>();
        foreach (var kind in AgencyKinds.All)
            agencies[kind] = (await SendAsync(host, new RegisterAgencyCommand($"Bench {kind}", kind))).Id;
        var police = agencies[AgencyKinds.Police];
        foreach (var from in agencies.Values.Where(a => a != police))
            await SendAsync(host, new AddSharingAgreementCommand(from, police, "bench"));

        var (samples, aliasSamples) = await LoadAsync(host.ConnectionString, agencies, persons, records);
        Console.WriteLine($"generated and loaded in {total.Elapsed.TotalSeconds:0} s");
        report["load_seconds"] = BenchSupport.Round(total.Elapsed.TotalSeconds);

        // The demo analyst, made a member of the police agency by an administrator (so the analysts' access rules and the police's
        // sharing agreements decide what the searches see), signed in as a person is.
        using (var admin = new HttpClient { BaseAddress = host.BaseAddress })
        {
            admin.DefaultRequestHeaders.Add("X-Api-Key", host.AdminKey);
            (await admin.PutAsJsonAsync($"api/v1/users/{AnalystEmail}/agency", new { agencyId = police })).EnsureSuccessStatusCode();
        }
        using var analyst = await BenchSession.SignInAsync(host.BaseAddress, AnalystEmail, BenchHost.Password);

        // the app runs in this process; its PostgreSQL backends are counted as the benchmark's own, not as other work
        await using var dataSource = NpgsqlDataSource.Create(host.ConnectionString);
        var machine = await MachineLoad.StartAsync(dataSource);
        await TimeSearchesAsync(host, analyst, samples, aliasSamples, queries, runs, report);
        if (!args.Contains("--no-resolution"))
            await ResolutionAsync(host, report, BenchSupport.Arg(args, "--batch", 1000), BenchSupport.Arg(args, "--stream", 20_000));
        var load = await machine.StopAsync();
        Console.WriteLine(load);
        BenchSupport.WriteJson(args, Name, report, load);
        Console.WriteLine($"total {total.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    // ---------------------------------------------------------------- generation and load

    private const string AnalystEmail = "analyst@safecities.test";

    private static async Task<(List<Sample> Samples, List<Sample> Aliases)> LoadAsync(string connectionString, Dictionary<string, Guid> agencies, int personCount, int recordCount)
    {
        var faker = new Faker("en") { Random = new Randomizer(20261125) };
        var random = new Random(42);
        var streets = Enumerable.Range(0, 3000).Select(_ => faker.Address.StreetName()).Distinct().ToArray();
        var agencyIds = agencies.Values.ToArray();
        var police = agencies[AgencyKinds.Police];
        var now = DateTime.UtcNow;

        await using var control = new NpgsqlConnection(connectionString);
        await control.OpenAsync();
        var indexes = new List<string>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT indexname, indexdef FROM pg_indexes i
             WHERE schemaname = 'intelligence' AND tablename = ANY(@tables)
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """, control))
        {
            cmd.Parameters.AddWithValue("tables", LoadedTables);
            await using var reader = await cmd.ExecuteReaderAsync();
            var indexNames = new List<string>();
            while (await reader.ReadAsync())
            {
                indexNames.Add(reader.GetString(0));
                indexes.Add(reader.GetString(1));
            }
            await reader.CloseAsync();
            foreach (var name in indexNames)
                await Exec(control, $"DROP INDEX intelligence.\"{name}\"");
        }
        Console.WriteLine($"dropped {indexes.Count} secondary indexes for the load");

        var connections = new List<NpgsqlConnection>();
        async Task<NpgsqlBinaryImporter> Copy(string sql)
        {
            var c = new NpgsqlConnection(connectionString);
            await c.OpenAsync();
            connections.Add(c);
            return await c.BeginBinaryImportAsync(sql);
        }
        var personsCopy = await Copy("COPY intelligence.persons (id, display_name, date_of_birth, address, district, created_at, updated_at) FROM STDIN (FORMAT BINARY)");
        var identitiesCopy = await Copy("""
            COPY intelligence.person_identities (id, person_id, agency_id, source_id, first_name, last_name, date_of_birth, identifiers, aliases, address,
              district, link_score, link_status, link_evidence, received_at, updated_at) FROM STDIN (FORMAT BINARY)
            """);
        var namesCopy = await Copy("COPY intelligence.person_names (person_id, identity_id, agency_id, name, first_name, last_name, is_alias, date_of_birth) FROM STDIN (FORMAT BINARY)");
        var recordsCopy = await Copy("""
            COPY intelligence.records (id, agency_id, kind, source_id, person_id, identity_id, started_at, ended_at, status, summary, details, sealed,
              violent_offence, supervising_officer, address, received_at, updated_at) FROM STDIN (FORMAT BINARY)
            """);

        var samples = new List<Sample>();
        var aliasSamples = new List<Sample>();
        var (identities, names, written) = (0L, 0L, 0L);
        var clock = Stopwatch.StartNew();
        var minDob = new DateOnly(1940, 1, 1).DayNumber;
        var maxDob = new DateOnly(2006, 12, 31).DayNumber;
        for (var i = 0; i < personCount; i++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var dob = DateOnly.FromDayNumber(random.Next(minDob, maxDob));
            var address = $"{random.Next(1, 9999)} {streets[random.Next(streets.Length)]}";
            var district = (1 + random.Next(8)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var personId = Guid.CreateVersion7();
            personsCopy.StartRow();
            personsCopy.Write(personId, NpgsqlDbType.Uuid);
            personsCopy.Write($"{first} {last}", NpgsqlDbType.Varchar);
            personsCopy.Write(dob, NpgsqlDbType.Date);
            personsCopy.Write(address, NpgsqlDbType.Varchar);
            personsCopy.Write(district, NpgsqlDbType.Varchar);
            personsCopy.Write(now, NpgsqlDbType.TimestampTz);
            personsCopy.Write(now, NpgsqlDbType.TimestampTz);

            var primaryAgency = agencyIds[random.Next(agencyIds.Length)];
            var primaryIdentity = Identity(personId, primaryAgency, $"P{i}", first, last, dob, [], address, district, 0, "new");
            // A share of persons are known to a second agency under a variant: misspelt name (12 %), an alias (8 %), a transposed
            // or one-digit-off date of birth (6 %).
            string? vFirst = null, vLast = null, alias = null;
            DateOnly? vDob = null;
            var roll = random.NextDouble();
            if (roll < 0.26)
            {
                var second = agencyIds[(Array.IndexOf(agencyIds, primaryAgency) + 1 + random.Next(agencyIds.Length - 1)) % agencyIds.Length];
                (vFirst, vLast, vDob) = (first, last, dob);
                var aliases = new List<string>();
                if (roll < 0.12)
                    (vFirst, vLast) = random.Next(2) == 0 ? (Misspell(first, random), last) : (first, Misspell(last, random));
                else if (roll < 0.20)
                    aliases.Add(alias = $"{faker.Name.FirstName()} {last}");
                else
                    vDob = Transpose(dob, random);
                Identity(personId, second, $"P{i}", vFirst, vLast, vDob.Value, aliases, address, district, 0.9, "auto");
            }
            if (i % (personCount / 500 + 1) == 0)
                samples.Add(new Sample(personId, first, last, dob, vFirst, vLast, vDob, alias));
            // about 8 % of persons have an alias: every few of them, so that the alias searches spread over the population too
            if (alias is not null && i % (personCount / 6000 + 1) == 0)
                aliasSamples.Add(new Sample(personId, first, last, dob, vFirst, vLast, vDob, alias));

            // exactly recordCount records over the population, spread evenly
            var upTo = (long)recordCount * (i + 1) / personCount;
            for (; written < upTo; written++)
                Record(personId, primaryIdentity, primaryAgency, written, address);

            if ((i + 1) % 100_000 == 0)
                Console.WriteLine($"  {i + 1:N0} persons, {identities:N0} identities, {names:N0} names, {written:N0} records — {clock.Elapsed.TotalSeconds:0} s");
        }

        Guid Identity(Guid personId, Guid agency, string sourceId, string first, string last, DateOnly dob, List<string> aliases, string address,
            string district, double score, string status)
        {
            var id = Guid.CreateVersion7();
            identities++;
            identitiesCopy.StartRow();
            identitiesCopy.Write(id, NpgsqlDbType.Uuid);
            identitiesCopy.Write(personId, NpgsqlDbType.Uuid);
            identitiesCopy.Write(agency, NpgsqlDbType.Uuid);
            identitiesCopy.Write(sourceId, NpgsqlDbType.Varchar);
            identitiesCopy.Write(first, NpgsqlDbType.Varchar);
            identitiesCopy.Write(last, NpgsqlDbType.Varchar);
            identitiesCopy.Write(dob, NpgsqlDbType.Date);
            identitiesCopy.Write(new[] { $"sid:{agency.ToString()[..8]}{sourceId.ToLowerInvariant()}" }, NpgsqlDbType.Array | NpgsqlDbType.Text);
            identitiesCopy.Write(aliases.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            identitiesCopy.Write(address, NpgsqlDbType.Varchar);
            identitiesCopy.Write(district, NpgsqlDbType.Varchar);
            identitiesCopy.Write(score, NpgsqlDbType.Double);
            identitiesCopy.Write(status, NpgsqlDbType.Varchar);
            identitiesCopy.Write(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            identitiesCopy.Write(now, NpgsqlDbType.TimestampTz);
            identitiesCopy.Write(now, NpgsqlDbType.TimestampTz);
            Name(personId, id, agency, first, last, false, dob);
            foreach (var alias in aliases)
            {
                var parts = alias.Split(' ');
                Name(personId, id, agency, parts[0], parts[^1], true, dob);
            }
            return id;
        }

        void Name(Guid personId, Guid identityId, Guid agency, string first, string last, bool alias, DateOnly dob)
        {
            var (f, l) = (Normalize(first), Normalize(last));
            names++;
            namesCopy.StartRow();
            namesCopy.Write(personId, NpgsqlDbType.Uuid);
            namesCopy.Write(identityId, NpgsqlDbType.Uuid);
            namesCopy.Write(agency, NpgsqlDbType.Uuid);
            namesCopy.Write($"{f} {l}", NpgsqlDbType.Varchar);
            namesCopy.Write(f, NpgsqlDbType.Varchar);
            namesCopy.Write(l, NpgsqlDbType.Varchar);
            namesCopy.Write(alias, NpgsqlDbType.Boolean);
            namesCopy.Write(dob, NpgsqlDbType.Date);
        }

        void Record(Guid personId, Guid identityId, Guid agency, long n, string address)
        {
            var kind = Kinds[random.Next(Kinds.Length)];
            var started = now.AddDays(-random.Next(1, 3650));
            DateTime? ended = kind is RecordKinds.Booking or RecordKinds.Supervision && random.Next(4) > 0 ? started.AddDays(random.Next(1, 700)) : null;
            var (status, summary, details) = kind switch
            {
                RecordKinds.Booking => (null, $"Booked at County Detention Center{(ended is { } e ? $", released {e:yyyy-MM-dd}" : ", in custody")}", "{\"facility\":\"County Detention Center\"}"),
                RecordKinds.Supervision => ("parole", "parole supervision", "{\"supervisingOfficer\":\"po.bench@parole.test\"}"),
                RecordKinds.Warrant => (random.Next(5) == 0 ? WarrantStatus.Active : WarrantStatus.Served, "Warrant", "{}"),
                RecordKinds.CourtCase => ("closed", $"Court case CR-{n}", $"{{\"caseNumber\":\"CR-{n}\"}}"),
                _ => (null, $"disturbance call at {address}", "{\"callType\":\"disturbance\"}"),
            };
            recordsCopy.StartRow();
            recordsCopy.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            recordsCopy.Write(agency, NpgsqlDbType.Uuid);
            recordsCopy.Write(kind, NpgsqlDbType.Varchar);
            recordsCopy.Write($"R{n}", NpgsqlDbType.Varchar);
            recordsCopy.Write(personId, NpgsqlDbType.Uuid);
            recordsCopy.Write(identityId, NpgsqlDbType.Uuid);
            recordsCopy.Write(started, NpgsqlDbType.TimestampTz);
            if (ended is { } end)
                recordsCopy.Write(end, NpgsqlDbType.TimestampTz);
            else
                recordsCopy.WriteNull();
            if (status is null)
                recordsCopy.WriteNull();
            else
                recordsCopy.Write(status, NpgsqlDbType.Varchar);
            recordsCopy.Write(summary, NpgsqlDbType.Varchar);
            recordsCopy.Write(details, NpgsqlDbType.Text);
            recordsCopy.Write(false, NpgsqlDbType.Boolean);
            recordsCopy.Write(random.Next(10) == 0, NpgsqlDbType.Boolean);
            if (kind == RecordKinds.Supervision)
                recordsCopy.Write("po.bench@parole.test", NpgsqlDbType.Varchar);
            else
                recordsCopy.WriteNull();
            recordsCopy.Write(address, NpgsqlDbType.Varchar);
            recordsCopy.Write(now, NpgsqlDbType.TimestampTz);
            recordsCopy.Write(now, NpgsqlDbType.TimestampTz);
        }

        foreach (var importer in new[] { personsCopy, identitiesCopy, namesCopy, recordsCopy })
        {
            await importer.CompleteAsync();
            await importer.DisposeAsync();
        }
        foreach (var c in connections)
            await c.DisposeAsync();
        Console.WriteLine($"copied {personCount:N0} persons, {identities:N0} identities, {names:N0} names, {written:N0} records in {clock.Elapsed.TotalSeconds:0} s");

        await Exec(control, "SET maintenance_work_mem = '512MB'; SET max_parallel_maintenance_workers = 2");
        foreach (var definition in indexes)
        {
            var started = clock.Elapsed;
            await Exec(control, definition);
            Console.WriteLine($"  {definition[..Math.Min(definition.Length, 110)]} — {(clock.Elapsed - started).TotalSeconds:0} s");
        }
        await Exec(control, "ANALYZE intelligence.persons; ANALYZE intelligence.person_identities; ANALYZE intelligence.records; ANALYZE intelligence.name_words");
        // What autovacuum does within a minute of a back-load this size (its insert threshold): the visibility map lets the name search's
        // probes be index-only scans (ADR 0058). VACUUM cannot run in a multi-statement command.
        await Exec(control, "VACUUM (ANALYZE) intelligence.person_names");
        Console.WriteLine($"indexes rebuilt, analysed, person_names vacuumed — {clock.Elapsed.TotalSeconds:0} s");
        return (samples, aliasSamples);
    }

    private static string Misspell(string s, Random random)
    {
        if (s.Length < 4)
            return s + s[^1];
        var i = 1 + random.Next(s.Length - 2);
        return random.Next(3) switch
        {
            0 => s[..i] + s[i + 1] + s[i] + s[(i + 2)..],            // transposed letters
            1 => s.Remove(i, 1),                                      // dropped letter
            _ => s[..i] + s[i] + s[i..],                              // doubled letter
        };
    }

    private static DateOnly Transpose(DateOnly d, Random random)
    {
        if (d.Day <= 12 && d.Day != d.Month)
            return new DateOnly(d.Year, d.Day, d.Month);
        return d.Day <= 18 ? d.AddDays(10) : d.AddDays(-10);        // one digit off (12 → 22, 25 → 15)
    }

    private static string Normalize(string s) => string.Join(' ', s.Trim().ToLowerInvariant().Replace('-', ' ').Where(c => char.IsLetterOrDigit(c) || c == ' ')
        .Aggregate(new System.Text.StringBuilder(), (b, c) => b.Append(c)).ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    // ---------------------------------------------------------------- search latency

    /// <summary>One kind of search: its label, the pool it draws persons from, the request it makes of one (null: none), and whether it
    /// counts towards the target (the year-of-birth form is informational).</summary>
    private sealed record SearchKind(string Label, bool FromAliases, bool FromVariants, Func<Sample, (string? Name, string? Dob)?> Make, bool Counted = true);

    private static async Task TimeSearchesAsync(BenchHost host, BenchSession analyst, List<Sample> samples, List<Sample> aliasSamples, int queries, int runs,
        JsonObject report)
    {
        var random = new Random(7);
        var variants = samples.Where(s => s.VariantFirst is not null).ToList();
        SearchKind[] kinds =
        [
            new("name + date of birth (exact)", false, false, s => ($"{s.First} {s.Last}", BenchRequests.Iso(s.Dob))),
            new("misspelt name + date of birth", false, false, s => ($"{Misspell(s.First, random)} {s.Last}", BenchRequests.Iso(s.Dob))),
            new("known variant (spelling/alias/transposed dob)", false, true,
                s => s.VariantFirst is null ? null : ($"{s.VariantFirst} {s.VariantLast}", BenchRequests.Iso(s.VariantDob!.Value))),
            new("full name only", false, false, s => ($"{s.First} {s.Last}", null)),
            new("surname only", false, false, s => (s.Last, null)),
            new("first name only", false, false, s => (s.First, null)),
            new("alias only (no date of birth)", true, false, s => (s.Alias, null)),
            new("alias + date of birth", true, false, s => (s.Alias, BenchRequests.Iso(s.Dob))),
            new("name + year of birth (partial)", false, false, s => ($"{s.First} {s.Last}", s.Dob.Year.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        ];
        Console.WriteLine($"searches through GET /api/v1/intelligence/search as {AnalystEmail} (signed in, police agency), {queries} a kind, {runs} run(s); " +
                          $"{aliasSamples.Count} persons with an alias to draw from");
        // warm-up
        foreach (var s in samples.Take(20))
            await SearchAsync(analyst, $"{s.First} {s.Last}", BenchRequests.Iso(s.Dob));
        var perRun = kinds.ToDictionary(k => k.Label, _ => new List<(List<double> Ms, int Found)>());
        var allRuns = new List<List<double>>();
        for (var run = 1; run <= runs; run++)
        {
            var all = new List<double>();
            Console.WriteLine($"run {run}:");
            foreach (var kind in kinds)
            {
                var ms = new List<double>();
                var found = 0;
                var pool = kind.FromAliases ? aliasSamples : kind.FromVariants ? variants : samples;
                for (var i = 0; i < queries; i++)
                {
                    var sample = pool[random.Next(pool.Count)];
                    if (kind.Make(sample) is not { } q)
                        continue;
                    var (elapsed, persons) = await SearchAsync(analyst, q.Name, q.Dob);
                    ms.Add(elapsed);
                    if (persons.Contains(sample.PersonId))
                        found++;
                }
                if (kind.Counted)
                    all.AddRange(ms);
                perRun[kind.Label].Add((ms, found));
                Console.WriteLine($"  {Stats.Summary(kind.Label, ms)}  found {100.0 * found / Math.Max(1, ms.Count):0.0} %");
            }
            allRuns.Add(all);
            Console.WriteLine("  " + Stats.Summary("ALL kinds", all));
        }

        // Per kind: the median over the runs of each run's p50/p95/p99/max, and each run's figures.
        Console.WriteLine($"medians of {runs} run(s) (target p95 < 50 ms per kind):");
        var searches = new JsonObject();
        foreach (var kind in kinds)
        {
            var figures = perRun[kind.Label].Select(r => BenchSupport.Latency(r.Ms)).ToList();
            var median = MedianOf(figures);
            var foundPercent = perRun[kind.Label].Select(r => 100.0 * r.Found / Math.Max(1, r.Ms.Count)).ToList();
            median["found_percent"] = BenchSupport.Round(Stats.Percentile(foundPercent, 50));
            median["target_met"] = (double?)median["p95_ms"] < 50;
            median["runs"] = new JsonArray([.. figures]);
            searches[kind.Label] = median;
            Console.WriteLine($"  {kind.Label,-48} p50 {median["p50_ms"],6} ms  p95 {median["p95_ms"],6} ms  p99 {median["p99_ms"],6} ms  " +
                              $"max {median["max_ms"],6} ms  found {median["found_percent"]} %" + ((double?)median["p95_ms"] < 50 ? "" : "  (p95 target MISSED)"));
        }
        report["searches"] = searches;
        var allMedian = MedianOf(allRuns.Select(BenchSupport.Latency).ToList());
        report["search_all"] = allMedian;
        Console.WriteLine($"  {"ALL kinds",-48} p50 {allMedian["p50_ms"],6} ms  p95 {allMedian["p95_ms"],6} ms" +
                          ((double?)allMedian["p95_ms"] < 50 ? "  (target p95 < 50 ms: met)" : "  (target p95 < 50 ms: MISSED)"));
        await ExplainAsync(host, samples[samples.Count / 2]);
        var common = samples.GroupBy(s => s.Last).OrderByDescending(g => g.Count()).First().First();
        foreach (var name in new[] { $"{common.First} {common.Last}", common.Last, common.First })
            await ExplainWordsAsync(host, name);
    }

    /// <summary>The plan of the name search's word path (the handler's own SQL, ADR 0058) for a name without a date of birth, on a session
    /// with the app's settings (jit off).</summary>
    private static async Task ExplainWordsAsync(BenchHost host, string name)
    {
        await using var c = new NpgsqlConnection(host.ConnectionString + ";Options=-c jit=off");
        await c.OpenAsync();
        await using var cmd = SafeCities.Modules.Intelligence.Features.SearchIntelligenceQueryHandler.ExplainWords(c, name);
        await using var reader = await cmd.ExecuteReaderAsync();
        Console.WriteLine($"plan of the name search's word path for \"{name}\" (no date of birth):");
        while (await reader.ReadAsync())
            Console.WriteLine("  " + reader.GetString(0));
    }

    /// <summary>The median over runs of each latency figure (<c>n</c> summed).</summary>
    private static JsonObject MedianOf(List<JsonObject> runs)
    {
        var median = new JsonObject { ["n"] = runs.Sum(r => (int)r["n"]!) };
        foreach (var name in new[] { "p50_ms", "p95_ms", "p99_ms", "max_ms" })
            median[name] = BenchSupport.Round(Stats.Percentile(runs.Where(r => r[name] is not null).Select(r => (double)r[name]!).ToList(), 50));
        return median;
    }

    /// <summary>The plan of the handler's name + date-of-birth lookup (the same SQL shape, analyst scope) for one sample: which index serves it.</summary>
    private static async Task ExplainAsync(BenchHost host, Sample s)
    {
        await using var c = new NpgsqlConnection(host.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
            SELECT n.person_id, max(greatest(similarity(n.name, @name), CASE WHEN n.phonetic = dmetaphone(@first) || ' ' || dmetaphone(@last) THEN 0.75 ELSE 0 END))
              FROM (SELECT * FROM intelligence.person_names n WHERE (n.date_of_birth BETWEEN @dob AND @dob OR n.date_of_birth = @dob) OFFSET 0) n
             WHERE (n.name % @name OR n.phonetic = dmetaphone(@first) || ' ' || dmetaphone(@last))
               AND n.agency_id = ANY(SELECT id FROM intelligence.agencies)
             GROUP BY n.person_id ORDER BY 2 DESC LIMIT 50
            """, c);
        cmd.Parameters.AddWithValue("name", $"{Normalize(s.First)} {Normalize(s.Last)}");
        cmd.Parameters.AddWithValue("first", Normalize(s.First));
        cmd.Parameters.AddWithValue("last", Normalize(s.Last));
        cmd.Parameters.AddWithValue("dob", s.Dob);
        await using var reader = await cmd.ExecuteReaderAsync();
        Console.WriteLine("plan of the name + date-of-birth lookup:");
        while (await reader.ReadAsync())
            Console.WriteLine("  " + reader.GetString(0));
    }

    /// <summary>One search through the API: the time to the whole answer (ms) and the persons it lists.</summary>
    private static async Task<(double Ms, HashSet<Guid> Persons)> SearchAsync(BenchSession analyst, string? name, string? dob)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await analyst.Http.GetAsync(BenchRequests.Search(name, dob));
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"search refused: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        var persons = JsonNode.Parse(body)!["persons"]!.AsArray().Select(p => p!["personId"]!.GetValue<Guid>()).ToHashSet();
        return (elapsed, persons);
    }

    // ---------------------------------------------------------------- entity resolution precision/recall

    /// <summary>
    /// 1,000 new persons arrive from a jail, with the hard cases (ADR 0053): namesakes (same name and birth date, different SSN and address),
    /// fathers and sons (Sr / Jr, birth years one digit apart), twins (same surname, birth date and address) and families (same surname and
    /// address). Then a court sends 1,000 near-duplicates of the ordinary ones (spelling variants, aliases, first/last swaps, transposed or
    /// one-digit-off dates of birth, some exact), 500 different people who share a last name and birth year with one of them, and its own
    /// records of the hard cases with the answer each should get. All through the real ingestion command in batches of
    /// <paramref name="batch"/>, against the loaded population. Then <paramref name="stream"/> further generated records (new people with
    /// the population's names, a fifth of them a second record of an earlier one) measure throughput on a longer run.
    /// </summary>
    private static async Task ResolutionAsync(BenchHost host, JsonObject report, int batch, int stream)
    {
        var faker = new Faker("en") { Random = new Randomizer(99) };
        var random = new Random(99);
        var jail = (await SendAsync(host, new RegisterAgencyCommand("Bench resolution jail", AgencyKinds.Jail))).Id;
        var court = (await SendAsync(host, new RegisterAgencyCommand("Bench resolution court", AgencyKinds.Court))).Id;
        DateOnly RandomDob(int fromYear = 1950, int toYear = 2004) =>
            DateOnly.FromDayNumber(random.Next(new DateOnly(fromYear, 1, 1).DayNumber, new DateOnly(toYear, 12, 31).DayNumber));
        string Street() => $"{random.Next(1, 9999)} {faker.Address.StreetName()}";
        string Ssn() => $"{random.Next(100, 899)}{random.Next(10, 99)}{random.Next(1000, 9999)}";
        var originals = Enumerable.Range(0, 1000).Select(i => (Key: i, Person: new PersonInput(faker.Name.FirstName(), faker.Name.LastName(), DateOfBirth: RandomDob())))
            .ToList();
        var label = new Dictionary<int, string>();
        var incoming = new List<(int Key, PersonInput Person)>();
        var truthKey = new Dictionary<int, int?>();   // incoming key → the original's key it is, or null for someone new

        // hard cases: originals from 5,000 on, the court's records of them from 30,000 on
        var hard = 5000;
        var hardIncoming = 30_000;
        void Expect(string kind, PersonInput p, int? original)
        {
            incoming.Add((hardIncoming, p));
            truthKey[hardIncoming] = original;
            label[hardIncoming++] = kind;
        }
        for (var i = 0; i < 40; i++)
        {
            // namesakes: two people with one name and birth date, told apart by SSN and address
            var (first, last, dob) = (faker.Name.FirstName(), faker.Name.LastName(), RandomDob());
            var (ssnA, ssnB, streetA, streetB) = (Ssn(), Ssn(), Street(), Street());
            var a = hard++;
            originals.Add((a, new PersonInput(first, last, DateOfBirth: dob, Identifiers: new Dictionary<string, string> { ["ssn"] = ssnA }, Address: streetA)));
            var b = hard++;
            originals.Add((b, new PersonInput(first, last, DateOfBirth: dob, Identifiers: new Dictionary<string, string> { ["ssn"] = ssnB }, Address: streetB)));
            Expect("namesake: same name + dob, one's SSN", new PersonInput(first, last, DateOfBirth: dob, Identifiers: new Dictionary<string, string> { ["ssn"] = ssnB }), b);
            Expect("namesake: same name + dob, one's address", new PersonInput(first, last, DateOfBirth: dob, Address: streetA), a);
            Expect("namesake: same name + dob, a third SSN", new PersonInput(first, last, DateOfBirth: dob, Identifiers: new Dictionary<string, string> { ["ssn"] = Ssn() }), null);

            // father and son: Sr and Jr, the son born on the father's day and month 30 years later (the years one digit apart)
            var (ff, fl, fdob, home) = (faker.Name.FirstName(), faker.Name.LastName(), RandomDob(1950, 1969), Street());
            var sdob = fdob.AddYears(30);
            var father = hard++;
            originals.Add((father, new PersonInput(ff, $"{fl} Sr", DateOfBirth: fdob, Address: home)));
            var son = hard++;
            originals.Add((son, new PersonInput(ff, $"{fl} Jr.", DateOfBirth: sdob, Address: home)));
            Expect("Sr / Jr: the father again", new PersonInput(ff, $"{fl} Sr.", DateOfBirth: fdob), father);
            Expect("Sr / Jr: the son, misspelt", new PersonInput(Misspell(ff, random), $"{fl} Jr", DateOfBirth: sdob, Address: home), son);

            // twins: same surname, birth date and address, different first names
            var (tl, tdob, thome) = (faker.Name.LastName(), RandomDob(), Street());
            var (t1, t2) = (faker.Name.FirstName(), faker.Name.FirstName());
            while (SafeCities.Modules.Intelligence.Resolution.PersonMatcher.JaroWinkler(t1.ToLowerInvariant(), t2.ToLowerInvariant()) >= 0.8)
                t2 = faker.Name.FirstName();
            var twinA = hard++;
            originals.Add((twinA, new PersonInput(t1, tl, DateOfBirth: tdob, Address: thome)));
            var twinB = hard++;
            originals.Add((twinB, new PersonInput(t2, tl, DateOfBirth: tdob, Address: thome)));
            Expect("twins: one, misspelt", new PersonInput(Misspell(t1, random), tl, DateOfBirth: tdob, Address: thome), twinA);
            Expect("twins: the other, exact", new PersonInput(t2, tl, DateOfBirth: tdob, Address: thome), twinB);

            // a family at one address: two parents and a child, each sent again
            var (fam, fhome) = (faker.Name.LastName(), Street());
            var members = new List<int>();
            foreach (var (mfirst, mdob) in new[] { (faker.Name.FirstName(), RandomDob(1960, 1975)), (faker.Name.FirstName(), RandomDob(1960, 1975)), (faker.Name.FirstName(), RandomDob(1995, 2010)) })
            {
                var m = hard++;
                originals.Add((m, new PersonInput(mfirst, fam, DateOfBirth: mdob, Address: fhome)));
                members.Add(m);
            }
            var pick = members[random.Next(members.Count)];
            var picked = originals.Single(o => o.Key == pick).Person;
            Expect("family: a member again", picked with { FirstName = random.Next(2) == 0 ? picked.FirstName : Misspell(picked.FirstName, random) }, pick);
            Expect("family: a new member", new PersonInput(faker.Name.FirstName(), fam, DateOfBirth: RandomDob(2000, 2012), Address: fhome), null);
        }

        await using var dataSource = NpgsqlDataSource.Create(host.ConnectionString);
        var machine = await MachineLoad.StartAsync(dataSource);
        var clock = Stopwatch.StartNew();
        var originalPerson = await IngestAsync(host, jail, originals, "J", batch);
        var jailSeconds = clock.Elapsed.TotalSeconds;
        var newPersons = originalPerson.Values.Distinct().Count();
        var hardMerged = originals.Where(o => o.Key >= 5000).GroupBy(o => originalPerson[o.Key]).Count(g => g.Count() > 1);

        var variantKinds = new[] { "exact", "misspelt last name", "misspelt first name", "transposed/one-digit-off dob", "alias (new name, old as alias)", "first/last swapped" };
        var ordinary = new List<(int Key, PersonInput Person)>();
        for (var i = 0; i < 1000; i++)
        {
            var o = originals[i].Person;
            var dob = o.DateOfBirth!.Value;
            var variant = (i % 6) switch
            {
                0 => o,
                1 => o with { LastName = Misspell(o.LastName, random) },
                2 => o with { FirstName = Misspell(o.FirstName, random) },
                3 => o with { DateOfBirth = Transpose(dob, random) },
                4 => o with { FirstName = faker.Name.FirstName(), Aliases = [$"{o.FirstName} {o.LastName}"] },
                _ => o with { FirstName = o.LastName, LastName = o.FirstName },
            };
            label[i] = variantKinds[i % 6];
            ordinary.Add((i, variant));
            truthKey[i] = i;
        }
        for (var i = 0; i < 500; i++)
        {
            var o = originals[random.Next(1000)].Person;
            string first;
            do
                first = faker.Name.FirstName();
            while (first == o.FirstName);
            ordinary.Add((10_000 + i, new PersonInput(first, o.LastName, DateOfBirth: new DateOnly(o.DateOfBirth!.Value.Year, 1 + random.Next(12), 1 + random.Next(28)))));
            truthKey[10_000 + i] = null;
            label[10_000 + i] = "different person, same surname and birth year";
        }
        incoming.InsertRange(0, ordinary);
        var linked = await IngestAsync(host, court, incoming, "C", batch);
        var resolutionSeconds = clock.Elapsed.TotalSeconds;

        var (truePositive, falsePositive, falseNegative) = (0, 0, 0);
        var misses = new Dictionary<string, int>();
        var wrong = new Dictionary<string, int>();
        var hardRight = new Dictionary<string, (int Right, int Of)>();
        foreach (var (key, _) in incoming)
        {
            Guid? expected = truthKey[key] is { } k ? originalPerson[k] : null;
            var got = linked[key];
            var isNew = !await ExistedBeforeAsync(host, got, court);
            var kind = label[key];
            var right = expected is { } e0 ? got == e0 : isNew;
            if (key >= 30_000)
            {
                var (r, of) = hardRight.GetValueOrDefault(kind);
                hardRight[kind] = (r + (right ? 1 : 0), of + 1);
            }
            if (expected is { } e)
            {
                if (got == e)
                    truePositive++;
                else
                {
                    falseNegative++;
                    misses[kind] = misses.GetValueOrDefault(kind) + 1;
                    if (!isNew)
                    {
                        falsePositive++;
                        wrong[kind] = wrong.GetValueOrDefault(kind) + 1;
                    }
                }
            }
            else if (!isNew)
            {
                if (falsePositive < 6)
                    await ShowLinkAsync(host, got, court, key);
                falsePositive++;
                wrong[kind] = wrong.GetValueOrDefault(kind) + 1;
            }
        }
        var precision = truePositive / (double)Math.Max(1, truePositive + falsePositive);
        var recall = truePositive / (double)Math.Max(1, truePositive + falseNegative);
        var resolved = originals.Count + incoming.Count;
        var labelled = machine.Stop();
        Console.WriteLine($"entity resolution over {incoming.Count:N0} incoming records (1,000 near-duplicates, 500 same-surname/same-year others, "
            + $"{incoming.Count - 1500} hard cases) against {newPersons:N0} jail persons + the population, {resolutionSeconds:0.0} s:");
        report["resolution_batch"] = batch;
        report["resolution_labelled_records_per_s"] = BenchSupport.Round(resolved / resolutionSeconds);
        report["resolution_precision"] = BenchSupport.Round(precision, 4);
        report["resolution_recall"] = BenchSupport.Round(recall, 4);
        Console.WriteLine($"  throughput {resolved / resolutionSeconds:0.0} records/s ({resolved:N0} records through the ingestion command, batches of {batch}, one client; "
            + $"jail {originals.Count / jailSeconds:0.0}/s, court {incoming.Count / (resolutionSeconds - jailSeconds):0.0}/s)");
        Console.WriteLine($"  {labelled}");
        Console.WriteLine($"  precision {precision:P2} ({truePositive} right links, {falsePositive} wrong links)   recall {recall:P2} ({falseNegative} missed)");
        Console.WriteLine($"  jail originals merged into an existing population person: {originals.Count - newPersons}; hard-case originals wrongly merged with each other: {hardMerged}");
        foreach (var (kind, (r, of)) in hardRight)
            Console.WriteLine($"  hard case {kind}: {r} of {of} right");
        report["resolution_hard_cases_right"] = hardRight.Values.Sum(v => v.Right);
        report["resolution_hard_cases"] = hardRight.Values.Sum(v => v.Of);
        report["resolution_hard_originals_merged"] = hardMerged;
        foreach (var (kind, n) in misses.OrderByDescending(m => m.Value))
            Console.WriteLine($"  missed: {kind} ×{n}");
        foreach (var (kind, n) in wrong.OrderByDescending(m => m.Value))
            Console.WriteLine($"  wrong link: {kind} ×{n}");

        if (stream > 0)
        {
            // a longer run for throughput: generated people (Bogus names, so they meet the population's names), a fifth sent twice under a variant
            var county = (await SendAsync(host, new RegisterAgencyCommand("Bench resolution county", AgencyKinds.Jail))).Id;
            var people = new List<(int Key, PersonInput Person)>(stream);
            for (var i = 0; i < stream; i++)
            {
                if (i > 10 && random.Next(5) == 0)
                {
                    var earlier = people[random.Next(people.Count)].Person;
                    people.Add((i, random.Next(2) == 0 ? earlier with { FirstName = Misspell(earlier.FirstName, random) } : earlier with { DateOfBirth = Transpose(earlier.DateOfBirth!.Value, random) }));
                }
                else
                    people.Add((i, new PersonInput(faker.Name.FirstName(), faker.Name.LastName(), DateOfBirth: RandomDob(1940, 2006),
                        Address: random.Next(3) == 0 ? null : Street())));
            }
            var streamLoad = await MachineLoad.StartAsync(dataSource);
            var streamClock = Stopwatch.StartNew();
            await IngestAsync(host, county, people, "S", batch);
            var streamSeconds = streamClock.Elapsed.TotalSeconds;
            var streamFigures = streamLoad.Stop();
            var rate = stream / streamSeconds;
            report["resolution_records_per_s"] = BenchSupport.Round(rate);
            report["resolution_stream_records"] = stream;
            Console.WriteLine($"  throughput over a stream of {stream:N0} generated records (a fifth of them variants of earlier ones), batches of {batch}: "
                + $"{rate:0} records/s in {streamSeconds:0.0} s" + (rate >= 2000 ? "  (target ≥ 2,000 records/s: met)" : "  (target ≥ 2,000 records/s: MISSED)"));
            Console.WriteLine($"  {streamFigures}");
        }
        await ExplainCandidatesAsync(host, originals.Take(batch).Select(o => o.Person).ToList());
    }

    /// <summary>EXPLAIN ANALYZE of the resolver's own candidate query for one batch of records (the same command the resolver runs).</summary>
    private static async Task ExplainCandidatesAsync(BenchHost host, List<PersonInput> people)
    {
        await using var c = new NpgsqlConnection(host.ConnectionString);
        await c.OpenAsync();
        await using var cmd = await SafeCities.Modules.Intelligence.Resolution.PersonResolver.ExplainCandidatesAsync(c, people, CancellationToken.None);
        await using var reader = await cmd.ExecuteReaderAsync();
        Console.WriteLine($"plan of the resolver's candidate query for a batch of {people.Count} records:");
        while (await reader.ReadAsync())
            Console.WriteLine("  " + reader.GetString(0));
    }

    private static async Task ShowLinkAsync(BenchHost host, Guid personId, Guid court, int key)
    {
        await using var c = new NpgsqlConnection(host.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT string_agg(first_name || ' ' || last_name || ' ' || coalesce(date_of_birth::text, '?') || CASE WHEN agency_id = @c THEN ' [incoming: '
                   || array_to_string(link_evidence, '; ') || ']' ELSE '' END, ' | ')
              FROM intelligence.person_identities WHERE person_id = @p AND (agency_id <> @c OR source_id = @s)
            """, c);
        cmd.Parameters.AddWithValue("p", personId);
        cmd.Parameters.AddWithValue("c", court);
        cmd.Parameters.AddWithValue("s", $"C{key}");
        Console.WriteLine($"  e.g. wrong link: {await cmd.ExecuteScalarAsync()}");
    }

    /// <summary>Whether the person the court record linked to existed before the court record (i.e. the court record was linked, not new).</summary>
    private static async Task<bool> ExistedBeforeAsync(BenchHost host, Guid personId, Guid court)
    {
        await using var c = new NpgsqlConnection(host.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM intelligence.person_identities WHERE person_id = @p AND agency_id <> @c)", c);
        cmd.Parameters.AddWithValue("p", personId);
        cmd.Parameters.AddWithValue("c", court);
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<Dictionary<int, Guid>> IngestAsync(BenchHost host, Guid agency, List<(int Key, PersonInput Person)> people, string prefix, int size)
    {
        var result = new Dictionary<int, Guid>();
        foreach (var batch in people.Chunk(size))
        {
            var ingested = await SendAsync(host, new IngestRecordsCommand(agency, "bench", batch.Select(p => new RecordInput(RecordKinds.Person, $"{prefix}{p.Key}", Person: p.Person)).ToList()));
            foreach (var r in ingested.Records)
                result[int.Parse(r.SourceId[1..], System.Globalization.CultureInfo.InvariantCulture)] = r.PersonId!.Value;
        }
        return result;
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<T> SendAsync<T>(BenchHost host, ICommand<T> command)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    private static async Task<T> SendAsync<T>(BenchHost host, IQuery<T> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    private static async Task Exec(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

}
