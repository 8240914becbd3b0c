using System.Net.Http.Headers;
using Microsoft.Playwright;
using SafeCities.Modules.Platform.Demo;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// The analyst's main path in Chromium, with screenshots (<c>walk-analyst-*.png</c>): a search that says records are withheld, a person's
/// drawn link graph and confirming a link, co-location picking incidents on the map, and the hits page with a plate image; search and hits
/// also on a phone. No console error, no answer ≥ 500, no request outside the origin, no sideways scroll.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AnalystWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task An_analyst_is_told_what_is_withheld_explores_and_confirms_a_link_in_the_graph()
    {
        var (police, policeKey) = await app.RegisterAgencyAsync("police");
        var (court, courtKey) = await app.RegisterAgencyAsync("court");
        var (_, jailKey) = await app.RegisterAgencyAsync("jail");
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/v1/intelligence/sharing-agreements", new { fromAgencyId = court, toAgencyId = police })).StatusCode);
        var last = Unique("Walker");
        var hidden = Unique("Hidden");
        var plate = "A" + Unique("")[..6].ToUpperInvariant();
        var caseNumber = $"2026-CF-{Unique("")[..4]}";
        var personId = PersonIdOf(await app.PushOkAsync(policeKey, Person("P1", "Rosa", last, "1990-02-03", address: "12 Elm St SE"),
            new { kind = "vehicle", sourceId = "V1", personSourceId = "P1", vehicle = new { plate, region = "DC", make = "Honda", model = "Civic" } },
            new { kind = "call-for-service", sourceId = "CFS1", personSourceId = "P1", startedAt = "2026-11-01T20:00:00Z", callType = "shots fired", caseNumber,
                address = "1300 block of Alabama Ave SE", narrative = "Shots heard; a silver Honda left." }), "P1");
        await app.PushOkAsync(courtKey, Person("C1", "Rosa", last, "1990-02-03"),
            new { kind = "court-case", sourceId = caseNumber, personSourceId = "C1", caseNumber, startedAt = "2026-11-10T00:00:00Z", status = "pending" },
            new { kind = "warrant", sourceId = "W1", personSourceId = "C1", caseNumber, status = "served", startedAt = "2026-11-09T00:00:00Z" });
        await app.PushOkAsync(jailKey, Person("J1", "Ivo", hidden, "1970-07-07"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"api/v1/users/{Users.Analyst}/agency", new { agencyId = police })).StatusCode);
        try
        {
            await using (var walk = await RoleWalk.StartAsync(Browser, app, Users.Analyst, RoleWalk.Desktop, "analyst"))
            {
                var page = walk.Page;
                // 1. A search the access rules withhold: said so, nothing shown.
                await walk.GotoAsync($"/Intelligence/Search?{Stated.Query}&purpose=walk+{hidden}&name=Ivo+{hidden}");
                await Assertions.Expect(page.Locator("#withheld")).ToContainTextAsync("1 record matches but is withheld by access rules");
                await Assertions.Expect(page.Locator("#persons tbody tr")).ToHaveCountAsync(0);
                await walk.ShotAsync("search-withheld");

                // 2. The person, found through the search form, and their drawn link graph.
                await page.Locator("#name").FillAsync($"Rosa {last}");
                await page.Locator("#search-form button[type=submit]").ClickAsync();
                await page.Locator($"#persons tr[data-person-id='{personId}'] a").ClickAsync();
                await page.WaitForURLAsync(u => u.Contains($"/Intelligence/Persons/{personId}"));
                await Assertions.Expect(page.Locator("#person-graph canvas").First).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#person-graph")).ToHaveAttributeAsync("data-nodes", "7");   // person, 2 agency records, car, 3 records
                Assert.Equal(2, await page.EvaluateAsync<int>("() => window.cy.edges('[kind = \"case-number\"]').length"));
                await walk.ShotAsync("person-graph");

                // 3. Click the court's record line on the canvas: its evidence shows beside the graph; confirm it.
                var at = await page.EvaluateAsync<double[]>("""
                    () => {
                      const edge = window.cy.edges('[kind = "identity"]').filter(e => e.target().data('full').includes(':')).filter(e => e.data('label').startsWith('auto'))[0];
                      const m = edge.renderedMidpoint(), r = document.getElementById('person-graph').getBoundingClientRect();
                      return [r.left + m.x, r.top + m.y];
                    }
                    """);
                await page.Mouse.ClickAsync((float)at[0], (float)at[1]);
                await Assertions.Expect(page.Locator("#graph-evidence-list")).ToContainTextAsync("C1");
                await page.Locator("#link-confirm").ClickAsync();
                await Assertions.Expect(page.Locator("#graph-action-status")).ToContainTextAsync("Confirmed");
                await Assertions.Expect(page.Locator("#identities tr .link-status", new() { HasText = "confirmed" })).ToHaveCountAsync(1);
                await walk.ShotAsync("link-confirmed");
                await walk.AssertCleanAsync();
            }
            var identities = (await (await admin.GetAsync($"api/v1/intelligence/persons/{personId}?{Stated.Query}&purpose=walk check")).ReadJsonAsync())["identities"]!.AsArray();
            Assert.Equal("confirmed", Assert.Single(identities, i => i!["sourceId"]!.GetValue<string>() == "C1")!["status"]!.GetValue<string>());

            await using (var phone = await RoleWalk.StartAsync(Browser, app, Users.Analyst, RoleWalk.Phone, "analyst-phone"))
            {
                await phone.GotoAsync($"/Intelligence/Search?{Stated.Query}&purpose=walk+{hidden}&name=Ivo+{hidden}");
                await Assertions.Expect(phone.Page.Locator("#withheld")).ToBeVisibleAsync();
                await phone.ShotAsync("search-withheld");
                await phone.GotoAsync($"/Intelligence/Persons/{personId}?{Stated.Query}&purpose=walk+phone");
                await Assertions.Expect(phone.Page.Locator("#person-graph canvas").First).ToBeVisibleAsync();
                await phone.ShotAsync("person-graph");
                await phone.AssertCleanAsync();
            }
        }
        finally
        {
            await admin.PutAsJsonAsync($"api/v1/users/{Users.Analyst}/agency", new { agencyId = (Guid?)null });
        }
    }

    [Fact]
    public async Task An_analyst_picks_two_incidents_on_the_map_and_finds_the_vehicle_seen_at_both()
    {
        var now = DateTimeOffset.UtcNow;
        var plate = "K" + Unique("")[..6].ToUpperInvariant();
        var incidents = new List<Guid>();
        var places = new List<string>();
        foreach (var minutesAgo in new[] { 9, 4 })
        {
            var (lat, lon) = Api.Place();
            places.Add(FormattableString.Invariant($"{lat:F5}, {lon:F5}"));
            var (_, readerKey) = await app.RegisterReaderAsync(lat, lon, 120, 45);
            var at = now.AddMinutes(-minutesAgo);
            incidents.Add(await app.ReportGunshotAsync(lat, lon, at));
            await app.SendReadsAsync(readerKey, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, at.AddMinutes(1)),
                PlatesKit.Read(Guid.NewGuid().ToString("N"), "J" + Unique("")[..6].ToUpperInvariant(), at.AddMinutes(2)));
        }

        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Analyst, RoleWalk.Desktop, "analyst-colocation");
        var page = walk.Page;
        await walk.GotoAsync("/Plates/Colocation");
        // The click goes to the incident's own marker: on a whole-country map the suite's other incidents (drawn on top, being newer) can
        // cover it, and a click at its centre would pick theirs (a rehearsal picked another test's incident and found nothing).
        foreach (var id in incidents)
            await page.Locator($"#coloc-map path[data-incident-id='{id}']").DispatchEventAsync("click");
        await Assertions.Expect(page.Locator("#coloc-map")).ToHaveAttributeAsync("data-places", "2");
        var picked = (await page.Locator("#Places").InputValueAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(places, picked.Select(line => string.Join(", ", line.Split(", ").Take(2))));
        await Assertions.Expect(page.Locator(".coloc-place-label")).ToHaveCountAsync(2);
        await page.Locator("#caseNumber").FillAsync(Stated.CaseNumber);
        await page.Locator("#offence").SelectOptionAsync(Stated.Offence);
        await page.Locator("#purpose").FillAsync($"walk co-location {plate}");
        await walk.ShotAsync("colocation-picked");
        await page.Locator("#find-vehicles").ClickAsync();
        // The search is a form post over every read in the window: a suite loading both cores can take more than the default 5 s.
        var row = page.Locator($"#colocated tr[data-plate='{plate}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-matched", "2", new() { Timeout = 30000 });
        await Assertions.Expect(row).ToContainTextAsync("2 of 2");
        await Assertions.Expect(page.Locator("#colocated tbody tr")).ToHaveCountAsync(1);   // the other cars were seen at one place each
        await Assertions.Expect(page.Locator("#coloc-map")).ToHaveAttributeAsync("data-places", "2");   // the places stay drawn with the results
        await walk.ShotAsync("colocation-results");
        await walk.AssertCleanAsync();
    }

    [Fact]
    public async Task An_analyst_sees_hits_with_the_readers_picture_on_desktop_and_phone()
    {
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate, reason: "Walk: stolen silver Honda");
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var readId = Guid.NewGuid().ToString("N");
        await app.SendReadsAsync(key, PlatesKit.Read(readId, plate, DateTimeOffset.UtcNow.AddSeconds(-20)));
        using (var reader = app.Client(key))
        {
            var body = new ByteArrayContent(DemoPlateImage.Png(plate));
            body.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            Assert.Equal(HttpStatusCode.Created, (await reader.PutAsync($"api/v1/plates/images/{Uri.EscapeDataString($"img://{readId}")}", body)).StatusCode);
        }

        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "analyst-hits"), (RoleWalk.Phone, "analyst-hits-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Analyst, viewport, name);
            await walk.GotoAsync($"/Plates/Hits?plate={plate}");
            var thumb = walk.Page.Locator("#hits img.plate-thumb").First;
            await Assertions.Expect(thumb).ToBeVisibleAsync();
            Assert.Equal(DemoPlateImage.Width, await thumb.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))"));
            await walk.ShotAsync("hits");
            if (viewport == RoleWalk.Phone)
            {
                await walk.GotoAsync($"/Plates/Search?plate={plate}&{Stated.Query}&purpose=walk+{plate}");
                await Assertions.Expect(walk.Page.Locator($"#vehicles tr[data-plate='{plate}'] img.plate-thumb")).ToBeVisibleAsync();
                await Assertions.Expect(walk.Page.Locator("main")).ToContainTextAsync("1 vehicle, 1 sighting.");
                await walk.ShotAsync("search");
            }
            await walk.AssertCleanAsync();
        }
    }
}
