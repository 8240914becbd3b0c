using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>
/// Entity resolution in batches (ADR 0053) against real PostgreSQL: the hard cases (namesakes told apart by SSN and address, Jr / Sr,
/// twins, families), a batch deciding exactly what the same records one at a time decide, idempotency (a record sent again, the same
/// batch twice at once, one human from two agencies at once), and a chunked CSV back-load whose acknowledged lines add up to the file.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ResolutionTests(AppFixture app)
{
    [Fact]
    public async Task Namesakes_with_one_name_and_birth_date_are_told_apart_by_SSN_and_address()
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var (_, court) = await app.RegisterAgencyAsync("court");
        var last = Unique("Namesake");
        var (ssnA, ssnB) = (Unique("a"), Unique("b"));
        var stored = await app.PushOkAsync(jail,
            Person("A", "Marcus", last, "1981-04-17", identifiers: new { ssn = ssnA }, address: "12 Elm St"),
            Person("B", "Marcus", last, "1981-04-17", identifiers: new { ssn = ssnB }, address: "900 Oak Ave"));
        var (a, b) = (PersonIdOf(stored, "A"), PersonIdOf(stored, "B"));
        Assert.NotEqual(a, b);   // another SSN vetoes the same name and birth date within one batch too

        var court1 = await app.PushOkAsync(court,
            Person("C1", "Marcus", last, "1981-04-17", identifiers: new { ssn = ssnB }),     // B's SSN
            Person("C2", "Marcus", last, "1981-04-17", address: "12 Elm St"),               // no SSN, A's address
            Person("C3", "Marcus", last, "1981-04-17", identifiers: new { ssn = Unique("c") }));   // a third SSN: someone else
        Assert.Equal(b, PersonIdOf(court1, "C1"));
        Assert.Equal(a, PersonIdOf(court1, "C2"));
        Assert.NotEqual(a, PersonIdOf(court1, "C3"));
        Assert.NotEqual(b, PersonIdOf(court1, "C3"));
        Assert.Equal("new person", court1["records"]!.AsArray().Single(r => r!["sourceId"]!.GetValue<string>() == "C3")!["link"]!.GetValue<string>());

        // A's person now also holds C2 (no SSN); a record with yet another SSN must not get in through it.
        var court2 = await app.PushOkAsync(court, Person("C4", "Marcus", last, "1981-04-17", identifiers: new { ssn = Unique("d") }, address: "12 Elm St"));
        Assert.NotEqual(a, PersonIdOf(court2, "C4"));
    }

    [Fact]
    public async Task Father_and_son_with_Sr_and_Jr_stay_two_people_and_each_record_finds_its_own()
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var (_, court) = await app.RegisterAgencyAsync("court");
        var last = Unique("Gen");
        // born on the same day and month 30 years apart: the years are one digit apart, which alone would link them
        var stored = await app.PushOkAsync(jail,
            Person("F", "Walter", $"{last} Sr.", "1958-09-02", address: "4 Birch Rd"),
            Person("S", "Walter", $"{last} Jr", "1988-09-02", address: "4 Birch Rd"));
        var (father, son) = (PersonIdOf(stored, "F"), PersonIdOf(stored, "S"));
        Assert.NotEqual(father, son);

        var court1 = await app.PushOkAsync(court,
            Person("C1", "Walter", $"{last} Sr", "1958-09-02"),
            Person("C2", "Waltr", $"{last} Jr.", "1988-09-02"));
        Assert.Equal(father, PersonIdOf(court1, "C1"));
        Assert.Equal(son, PersonIdOf(court1, "C2"));
    }

    [Fact]
    public async Task Twins_and_a_family_at_one_address_stay_apart_and_each_again_is_linked_to_the_right_one()
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var (_, court) = await app.RegisterAgencyAsync("court");
        var last = Unique("Twin");
        var fam = Unique("Family");
        var stored = await app.PushOkAsync(jail,
            Person("T1", "Jasmine", last, "2001-06-14", address: "77 Pine St"),
            Person("T2", "Olivia", last, "2001-06-14", address: "77 Pine St"),
            Person("M", "Denise", fam, "1968-03-21", address: "5 Cedar Ct"),
            Person("D", "Howard", fam, "1966-11-30", address: "5 Cedar Ct"),
            Person("K", "Tyrone", fam, "1999-01-08", address: "5 Cedar Ct"));
        var ids = new[] { "T1", "T2", "M", "D", "K" }.Select(s => PersonIdOf(stored, s)).ToArray();
        Assert.Equal(5, ids.Distinct().Count());

        var court1 = await app.PushOkAsync(court,
            Person("C1", "Jasmin", last, "2001-06-14", address: "77 Pine St"),
            Person("C2", "Olivia", last, "2001-06-14"),
            Person("C3", "Tyrone", fam, "1999-08-01"),                                   // day and month transposed
            Person("C4", "Grace", fam, "2004-05-05", address: "5 Cedar Ct"));             // a new child at the same address
        Assert.Equal(ids[0], PersonIdOf(court1, "C1"));
        Assert.Equal(ids[1], PersonIdOf(court1, "C2"));
        Assert.Equal(ids[4], PersonIdOf(court1, "C3"));
        Assert.DoesNotContain(PersonIdOf(court1, "C4"), ids);
    }

    /// <summary>The records of <paramref name="stem"/>'s little world: people, a variant of one of them inside the same batch, twins,
    /// a namesake with another SSN, a Jr of a Sr.</summary>
    private static object[] World(string stem) =>
    [
        Person("R1", "Ramona", stem, "1975-02-11", identifiers: new { ssn = stem + "1" }, address: "9 Elm St"),
        Person("R2", "Ramonna", stem, "1975-02-11"),                        // R1 misspelt, same batch
        Person("R3", "Ramona", stem, "1975-11-02", address: "9 Elm St"),    // R1 with day and month transposed (R4 scores the same: R1's address decides)
        Person("R4", "Ramona", stem, "1975-02-11", identifiers: new { ssn = stem + "2" }),   // a namesake of R1
        Person("R5", "Lionel", stem, "1990-07-07", address: "1 Main St"),
        Person("R6", "Desmond", stem, "1990-07-07", address: "1 Main St"),  // R5's twin
        Person("R7", "Lionel", $"{stem} Sr", "1960-07-07"),                 // an older Lionel, Sr: his year one digit from R5's does not link him
        Person("R8", "Lionel", $"{stem} Jr", "1990-07-07"),                 // R5 as Jr: links to R5, not to the Sr
        Person("R9", stem, "Lionel", "1990-07-07"),                         // R5 first/last swapped
        Person("R10", "Desmond", stem, null),                              // no birth date: same name, unknown date (0.8), not linked
    ];

    [Fact]
    public async Task A_batch_decides_exactly_what_the_same_records_sent_one_at_a_time_decide()
    {
        var (_, batchFeed) = await app.RegisterAgencyAsync("jail");
        var (_, singleFeed) = await app.RegisterAgencyAsync("jail");
        var batchStem = Unique("Batch");
        var singleStem = Unique("Single");

        var batch = await app.PushOkAsync(batchFeed, World(batchStem));
        var batchPersons = World(batchStem).Select((_, i) => PersonIdOf(batch, $"R{i + 1}")).ToArray();
        var singlePersons = new List<Guid>();
        foreach (var record in World(singleStem))
        {
            var one = await app.PushOkAsync(singleFeed, record);
            singlePersons.Add(one["records"]![0]!["personId"]!.GetValue<Guid>());
        }

        // the same partition of the records into persons, by position
        static int[] Partition(IReadOnlyList<Guid> persons) => persons.Select(p => persons.ToList().IndexOf(p)).ToArray();
        Assert.Equal(Partition(singlePersons), Partition(batchPersons));
        // and the partition the cases call for: R1=R2=R3, R4 alone, R5=R8=R9, R6, R7, R10 alone
        Assert.Equal([0, 0, 0, 3, 4, 5, 6, 4, 4, 9], Partition(batchPersons));
    }

    [Fact]
    public async Task A_record_sent_again_or_twice_at_once_is_one_identity_and_one_human_from_two_agencies_at_once_is_one_person()
    {
        var (agency, jail) = await app.RegisterAgencyAsync("jail");
        var (_, court) = await app.RegisterAgencyAsync("court");
        var last = Unique("Again");
        var records = Enumerable.Range(1, 40).Select(i => Person($"P{i}", Unique(""), last, $"19{50 + i}-03-0{1 + i % 9}")).ToArray();

        // the same batch twice at the same moment, then once more
        var results = await Task.WhenAll(app.PushOkAsync(jail, records), app.PushOkAsync(jail, records));
        Assert.Equal(40, results.Sum(r => r["created"]!.GetValue<int>()));     // one of them created, the other updated
        var again = await app.PushOkAsync(jail, records);
        Assert.Equal(0, again["created"]!.GetValue<int>());
        Assert.Equal(40, await app.CountAsync($"SELECT count(*) FROM intelligence.person_identities WHERE agency_id = '{agency}'"));
        Assert.Equal(40, await app.CountAsync($"SELECT count(DISTINCT person_id) FROM intelligence.person_identities WHERE agency_id = '{agency}'"));
        foreach (var i in new[] { 1, 20, 40 })
            Assert.Equal(PersonIdOf(results[0], $"P{i}"), PersonIdOf(again, $"P{i}"));

        // one new human from a jail and a court at the same moment: whichever commits second resolves against the first
        var other = Unique("Both");
        var both = await Task.WhenAll(
            app.PushOkAsync(jail, Person("X1", "Evangeline", other, "1987-12-24")),
            app.PushOkAsync(court, Person("Y1", "Evangeline", other, "1987-12-24")));
        Assert.Equal(PersonIdOf(both[0], "X1"), PersonIdOf(both[1], "Y1"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(DISTINCT person_id) FROM intelligence.person_names WHERE last_name = '{other.ToLowerInvariant()}'"));
    }

    [Fact]
    public async Task A_chunked_back_load_acknowledges_every_line_once_stores_the_accepted_ones_and_refuses_hostile_rows_by_number()
    {
        var (agency, _) = await app.RegisterAgencyAsync("jail");
        var last = Unique("Bulk");
        const string header = "kind,sourceId,firstName,lastName,dateOfBirth,address,identifiers";
        var lines = new List<string>();
        var hostile = new Dictionary<int, string>();   // file line number (header = 1) → what the reason must say
        for (var i = 0; i < 2_600; i++)
        {
            var line = i + 2;
            var dob = $"{1950 + i % 50}-{1 + i % 12:00}-{1 + i % 28:00}";
            string text = (i % 500) switch
            {
                17 => Hostile(line, $"person,H{i},Ann,{last},31/12/1980,,", "dateOfBirth: '31/12/1980' is not valid"),
                101 => Hostile(line, $"person,H{i},Ann,{last},{dob},\"1 Main St,", "A quoted field is not closed"),
                222 => Hostile(line, $"person,H{i},Ann,{last},{dob},,,extra", "8 fields, the header has 7"),
                333 => Hostile(line, $"person,H{i},{new string('x', 81)},{last},{dob},,", "First Name"),
                444 => Hostile(line, $"person,H{i},Ann,{last},{dob},,ssn", "identifiers: 'ssn' is not type:value"),
                _ => $"person,P{i},Name{Letters(i)},{last},{dob},\"{i} Elm St\",",
            };
            lines.Add(text);
        }

        string Hostile(int line, string text, string reason)
        {
            hostile[line] = reason;
            return text;
        }

        // as the import page sends the file: chunks with the header, the next when the last is acknowledged; the bar is acknowledged / lines
        using var admin = app.AdminClient();
        var (acknowledged, accepted) = (0, 0);
        var progress = new List<int>();
        var rejected = new Dictionary<int, string>();
        const int chunk = 1000;
        for (var start = 0; start < lines.Count; start += chunk)
        {
            var part = lines.Skip(start).Take(chunk).ToArray();
            var response = await admin.PostAsJsonAsync($"api/v1/intelligence/agencies/{agency}/records-csv", new { header, firstLine = start + 2, lines = part });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var result = await response.ReadJsonAsync();
            Assert.Equal(part.Length, result["received"]!.GetValue<int>());
            accepted += result["accepted"]!.GetValue<int>();
            foreach (var r in result["rejected"]!.AsArray())
                rejected[r!["line"]!.GetValue<int>()] = r["reason"]!.GetValue<string>();
            acknowledged += part.Length;
            progress.Add(acknowledged * 100 / lines.Count);
            // what the bar says has been stored at this moment is stored
            Assert.Equal(accepted, await app.CountAsync($"SELECT count(*) FROM intelligence.person_identities WHERE agency_id = '{agency}'"));
        }
        Assert.Equal([38, 76, 100], progress.ToArray());
        Assert.Equal(lines.Count - hostile.Count, accepted);
        Assert.Equal(hostile.Keys.Order().ToArray(), rejected.Keys.Order().ToArray());
        foreach (var (line, reason) in hostile)
            Assert.Contains(reason, rejected[line]);
    }

    private static string Letters(int i) => new([(char)('a' + i % 26), (char)('a' + i / 26 % 26), (char)('a' + i / 676 % 26)]);
}
