using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>CSV back-loads: per-line acceptance (valid lines written, each bad line reported with its number and reasons).</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CsvImportTests(AppFixture app)
{
    private const string Header = "kind,sourceId,personSourceId,firstName,lastName,dateOfBirth,aliases,identifiers,facility,startedAt,endedAt,address,district,status";

    [Fact]
    public async Task A_chunk_writes_its_good_lines_and_reports_every_bad_line_with_its_reason()
    {
        var (agency, _) = await app.RegisterAgencyAsync("jail");
        var last = Unique("Csv");
        using var admin = app.AdminClient();
        var response = await admin.PostAsJsonAsync($"api/v1/intelligence/agencies/{agency}/records-csv", new
        {
            header = Header,
            firstLine = 2,
            lines = new[]
            {
                $"person,P1,,Nora,{last},1984-07-09,Nori {last}|N. {last},ssn:{Unique("x")},,,,\"12 Elm St, Apt 4\",5,",   // 2 ok
                $"person,P2,,Otto,{last},1990-13-01,,,,,,,,",                                                               // 3 bad date
                "booking,B1,P1,,,,,,County Jail,2024-01-01T10:00:00Z,2024-02-01T10:00:00Z,,,",                              // 4 ok
                "booking,B2,P2,,,,,,County Jail,2024-01-01T10:00:00Z,,,,",                                                  // 5 its person was rejected
                "warrant,W1,P1,,,,,,,,,,,active",                                                                                 // 6 jails send no warrants
                $"person,P3,,Pia,,1970-01-01,,,,,,,,",                                                                      // 7 no last name
                "",                                                                                                        // 8 blank
                "person,\"P4,,Quin",                                                                                       // 9 broken quoting
                "booking,B3,P1,,,,,,County Jail,2024-03-01T10:00:00Z,2024-02-01T10:00:00Z,,,",                              // 10 ends before it starts
            },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadJsonAsync();
        Assert.Equal(9, result["received"]!.GetValue<int>());
        Assert.Equal(2, result["accepted"]!.GetValue<int>());
        Assert.Equal(2, result["created"]!.GetValue<int>());
        Assert.Equal(1, result["blank"]!.GetValue<int>());
        var rejected = result["rejected"]!.AsArray().ToDictionary(r => r!["line"]!.GetValue<int>(), r => r!["reason"]!.GetValue<string>());
        Assert.Equal([3, 5, 6, 7, 9, 10], rejected.Keys.Order().ToArray());
        Assert.Contains("dateOfBirth: '1990-13-01' is not valid", rejected[3]);
        Assert.Contains("No person record 'P2'", rejected[5]);
        Assert.Contains("may not send 'warrant'", rejected[6]);
        Assert.Contains("Last Name", rejected[7]);
        Assert.Contains("A quoted field is not closed", rejected[9]);
        Assert.Contains("'Ended At' is before 'Started At'", rejected[10]);

        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.person_identities WHERE agency_id = '{agency}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.person_identities WHERE agency_id = '{agency}' AND address = '12 Elm St, Apt 4' AND district = '5' AND cardinality(aliases) = 2"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.records WHERE agency_id = '{agency}' AND source_id = 'B1' AND ended_at IS NOT NULL"));

        // Fixed lines sent again: accepted, and what was already there is updated rather than duplicated.
        var again = await (await admin.PostAsJsonAsync($"api/v1/intelligence/agencies/{agency}/records-csv", new
        {
            header = Header, firstLine = 2,
            lines = new[] { $"person,P2,,Otto,{last},1990-12-01,,,,,,,,", "booking,B2,P2,,,,,,County Jail,2024-01-01T10:00:00Z,,,,", "booking,B1,P1,,,,,,County Jail,2024-01-01T10:00:00Z,2024-02-01T10:00:00Z,,," },
        })).ReadJsonAsync();
        Assert.Equal(3, again["accepted"]!.GetValue<int>());
        Assert.Equal(2, again["created"]!.GetValue<int>());
        Assert.Equal(1, again["updated"]!.GetValue<int>());
        Assert.Empty(again["rejected"]!.AsArray());
        Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM intelligence.records WHERE agency_id = '{agency}'"));
    }

    [Fact]
    public async Task A_bad_header_refuses_the_chunk_and_only_administrators_may_import()
    {
        var (agency, key) = await app.RegisterAgencyAsync("jail");
        using var admin = app.AdminClient();
        var bad = await admin.PostAsJsonAsync($"api/v1/intelligence/agencies/{agency}/records-csv",
            new { header = "kind,sourceId,shoeSize", firstLine = 2, lines = new[] { "person,P1,44" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("unknown column 'shoeSize'", await bad.Content.ReadAsStringAsync());

        using var feed = app.Client(key);
        var forbidden = await feed.PostAsJsonAsync($"api/v1/intelligence/agencies/{agency}/records-csv",
            new { header = Header, firstLine = 2, lines = new[] { "person,P1,,A,B,1980-01-01,,,,,,,," } });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var analyst = app.Client(await app.CreateClientKeyAsync(SafeCities.Modules.Shared.Security.Roles.Analyst));
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync($"api/v1/intelligence/agencies/{agency}/records-csv",
            new { header = Header, firstLine = 2, lines = new[] { "person,P1,,A,B,1980-01-01,,,,,,,," } })).StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.person_identities WHERE agency_id = '{agency}'"));
    }
}
