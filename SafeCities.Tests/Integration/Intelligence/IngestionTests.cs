using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Tests.Integration.Lighting;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IngestionTests(AppFixture app)
{
    [Fact]
    public async Task A_partly_bad_batch_is_refused_whole_naming_each_failing_line_and_field()
    {
        var (agency, key) = await app.RegisterAgencyAsync("jail");
        var last = Unique("Baker");
        var response = await app.PushAsync(key,
            Person("P1", "Ann", last, "1980-02-03"),
            Person("P2", "Bob", last, "2199-01-01"),   // in the future, yet inside the edge's years: the validator reports it with the rest
            new { kind = "booking", sourceId = "B1", personSourceId = "P1", facility = "County Jail", startedAt = "2024-01-01T10:00:00Z" },
            new { kind = "booking", sourceId = "B2", personSourceId = "NOPE", facility = "County Jail", startedAt = "2024-01-01T10:00:00Z" },
            new { kind = "booking", sourceId = "B3", personSourceId = "P1", startedAt = "2024-01-05T10:00:00Z", endedAt = "2024-01-01T10:00:00Z" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Contains("records[1].person.dateOfBirth", errors.Select(e => e.Key));
        Assert.Contains("records[4].facility", errors.Select(e => e.Key));
        Assert.Contains("records[4].endedAt", errors.Select(e => e.Key));
        Assert.DoesNotContain(errors, e => e.Key.StartsWith("records[0]", StringComparison.Ordinal) || e.Key.StartsWith("records[2]", StringComparison.Ordinal));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.person_identities WHERE agency_id = '{agency}'"));

        // Structurally valid, but line 3 names a person the agency never sent: still nothing is written.
        var unknown = await app.PushAsync(key,
            Person("P1", "Ann", last, "1980-02-03"),
            new { kind = "booking", sourceId = "B1", personSourceId = "P1", facility = "County Jail", startedAt = "2024-01-01T10:00:00Z" },
            new { kind = "booking", sourceId = "B2", personSourceId = "NOPE", facility = "County Jail", startedAt = "2024-01-01T10:00:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var unknownErrors = (await unknown.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal(["records[2].personSourceId"], unknownErrors.Select(e => e.Key).ToArray());
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.person_identities WHERE agency_id = '{agency}'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.records WHERE agency_id = '{agency}'"));
    }

    [Fact]
    public async Task A_good_batch_is_written_and_re_sending_updates_instead_of_duplicating()
    {
        var (agency, key) = await app.RegisterAgencyAsync("jail");
        var last = Unique("Carter");
        var batch = new object[]
        {
            Person("P1", "Dana", last, "1979-11-30", identifiers: new { stateId = Unique("S") }),
            new { kind = "vehicle", sourceId = "V1", personSourceId = "P1", vehicle = new { plate = "abc 123", region = "DC", make = "Chevrolet", model = "Caprice", colour = "blue" } },
            new { kind = "booking", sourceId = "B1", personSourceId = "P1", facility = "DC Jail", startedAt = "2024-03-01T10:00:00Z", charges = new[] { "burglary" } },
        };
        var first = await app.PushOkAsync(key, batch);
        Assert.Equal(3, first["created"]!.GetValue<int>());
        var again = await app.PushOkAsync(key, batch);
        Assert.Equal(0, again["created"]!.GetValue<int>());
        Assert.Equal(3, again["updated"]!.GetValue<int>());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.records WHERE agency_id = '{agency}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.person_identities WHERE agency_id = '{agency}'"));
        Assert.Equal(1, await app.CountAsync("SELECT count(*) FROM intelligence.vehicles WHERE plate = 'ABC123' AND region = 'DC'"));
        // What a back-load asks before sending a batch again: the agency's own record of that kind and id, nobody else's.
        Assert.True(await app.SendAsync(new RecordExistsQuery(agency, RecordKinds.Booking, "B1")));
        Assert.False(await app.SendAsync(new RecordExistsQuery(agency, RecordKinds.Booking, "B2")));
        Assert.False(await app.SendAsync(new RecordExistsQuery(agency, RecordKinds.CourtCase, "B1")));
        Assert.False(await app.SendAsync(new RecordExistsQuery(Guid.NewGuid(), RecordKinds.Booking, "B1")));
    }

    [Fact]
    public async Task An_agency_may_send_only_its_kinds_of_records_and_only_with_its_own_key()
    {
        var (_, jailKey) = await app.RegisterAgencyAsync("jail");
        var refused = await app.PushAsync(jailKey, new { kind = "court-case", sourceId = "C1", personSourceId = "P1", caseNumber = "2024-CF-1" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("records[0].kind", (await refused.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key));

        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var notAFeed = await analyst.PostAsJsonAsync("api/v1/intelligence/records", new { records = new[] { Person("X", "A", "B", null) } });
        Assert.Equal(HttpStatusCode.Forbidden, notAFeed.StatusCode);
        using var feed = app.Client(jailKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await feed.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=test&name=x")).StatusCode);
    }

    [Fact]
    public async Task The_same_person_from_several_agencies_is_linked_with_evidence_and_an_analyst_can_split_and_confirm()
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var (_, court) = await app.RegisterAgencyAsync("court");
        var (_, parole) = await app.RegisterAgencyAsync("parole-probation");
        var (_, police) = await app.RegisterAgencyAsync("police");
        var last = Unique("Smith");
        var smyth = "Smyth" + last[5..];
        var ssn = Unique("ssn");

        var jailed = PersonIdOf(await app.PushOkAsync(jail, Person("J-1", "Jonathan", last, "1985-03-07", identifiers: new { ssn })), "J-1");
        var inCourt = await app.PushOkAsync(court, Person("C-9", "Jonathon", smyth, "1985-07-03"));
        var onParole = await app.PushOkAsync(parole, Person("PA-4", "Johnny", "Doe", "1985-03-07", aliases: [$"Jonathan {last}"]));
        var byId = await app.PushOkAsync(police, Person("DC-1", "J", "Unknown", null, identifiers: new { ssn }));
        var other = await app.PushOkAsync(court, Person("C-10", "Jonathan", last, "1962-11-21"));

        Assert.Equal(jailed, PersonIdOf(inCourt, "C-9"));
        Assert.Contains("transposed", inCourt["records"]![0]!["link"]!.GetValue<string>());
        Assert.Equal(jailed, PersonIdOf(onParole, "PA-4"));
        Assert.Contains("alias", onParole["records"]![0]!["link"]!.GetValue<string>());
        Assert.Equal(jailed, PersonIdOf(byId, "DC-1"));
        Assert.Contains("same identifier", byId["records"]![0]!["link"]!.GetValue<string>());
        Assert.NotEqual(jailed, PersonIdOf(other, "C-10"));

        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var person = await (await analyst.GetAsync($"api/v1/intelligence/persons/{jailed}?{Stated.Query}&purpose=case 24-001")).ReadJsonAsync();
        var identities = person["identities"]!.AsArray();
        Assert.Equal(4, identities.Count);
        Assert.All(identities.Skip(1), i => Assert.NotEmpty(i!["evidence"]!.AsArray()));

        var courtIdentity = inCourt["records"]![0]!["id"]!.GetValue<Guid>();
        var split = await (await analyst.PostAsync($"api/v1/intelligence/links/{courtIdentity}/split", null)).ReadJsonAsync();
        Assert.Equal("split", split["status"]!.GetValue<string>());
        Assert.NotEqual(jailed, split["personId"]!.GetValue<Guid>());
        var paroleIdentity = onParole["records"]![0]!["id"]!.GetValue<Guid>();
        var confirmed = await (await analyst.PostAsync($"api/v1/intelligence/links/{paroleIdentity}/confirm", null)).ReadJsonAsync();
        Assert.Equal("confirmed", confirmed["status"]!.GetValue<string>());
        Assert.Equal(jailed, confirmed["personId"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client(await app.CreateClientKeyAsync(Roles.Officer)).PostAsync($"api/v1/intelligence/links/{paroleIdentity}/confirm", null)).StatusCode);
    }
}
