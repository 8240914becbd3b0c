using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IntelligencePagesTests(AppFixture app)
{
    [Fact]
    public async Task The_search_and_person_pages_show_an_officer_only_what_the_rules_allow_and_audit_the_purpose()
    {
        var (_, court) = await app.RegisterAgencyAsync("court");
        var last = Unique("Page");
        var id = PersonIdOf(await app.PushOkAsync(court, Person("P", "Lena", last, "1993-04-04"),
            new { kind = "warrant", sourceId = "W", personSourceId = "P", status = "active", charges = new[] { "armed robbery" } },
            new { kind = "court-case", sourceId = "C", personSourceId = "P", caseNumber = "2023-CF-77", narrative = $"secret-{last} testimony" },
            new { kind = "court-case", sourceId = "S", personSourceId = "P", caseNumber = "2001-JV-1", @sealed = true }), "P");
        using var officer = await app.SignedInAsync(Users.Officer);

        var search = await officer.GetStringAsync($"Intelligence/Search?{Stated.Query}&purpose=page-{last}&name=Lena {last}&dob=1993");
        Assert.Contains($"data-person-id=\"{id}\"", search);
        Assert.Contains("active warrant", search);

        var noPurpose = await officer.GetStringAsync($"Intelligence/Search?name=Lena {last}");
        Assert.Contains("purpose", noPurpose, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"data-person-id=\"{id}\"", noPurpose);

        var page = await officer.GetAsync($"Intelligence/Persons/{id}?{Stated.Query}&purpose=page-view-{last}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("armed robbery", html);
        Assert.Contains("Court case 2023-CF-77", html);
        Assert.DoesNotContain($"secret-{last}", html);
        Assert.DoesNotContain("2001-JV-1", html);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'view-person' AND purpose = 'page-view-{last}' AND actor = '{Users.Officer}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'search' AND purpose = 'page-{last}' AND actor = '{Users.Officer}'"));
    }
}
