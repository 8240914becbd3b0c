using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReleaseAndHotlistTests(AppFixture app)
{
    private static object Booking(string id, string start, string? end) =>
        new { kind = "booking", sourceId = id, personSourceId = "P", facility = "Central Detention Facility", startedAt = start, endedAt = end, charges = new[] { "robbery" } };

    [Fact]
    public async Task A_released_recidivist_is_pushed_live_to_officers_once_and_their_vehicles_go_on_a_time_limited_hotlist()
    {
        // administrators see every officer notice (group notices:all)
        var notices = Channel.CreateUnbounded<JsonElement>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/incidents"), o => o.Headers["X-Api-Key"] = app.AdminKey)
            .Build();
        hub.On<JsonElement>("OfficerNotified", n => notices.Writer.TryWrite(n));
        await hub.StartAsync();

        var (_, jail) = await app.RegisterAgencyAsync("jail", releaseHotlistDays: 30);
        var (_, parole) = await app.RegisterAgencyAsync("parole-probation");
        var last = Unique("Release");
        var plate = "R" + Unique("")[..6].ToUpperInvariant();
        var person = PersonIdOf(await app.PushOkAsync(jail, Person("P", "Victor", last, "1975-06-06", address: "900 Alabama Ave SE", district: "7"),
            new { kind = "vehicle", sourceId = "V", personSourceId = "P", vehicle = new { plate, region = "DC", make = "Chevrolet", model = "Caprice" } },
            Booking("B1", "2019-01-01T00:00:00Z", "2020-01-01T00:00:00Z"), Booking("B2", "2024-01-01T00:00:00Z", null)), "P");
        await app.PushOkAsync(parole, Person("P", "Victor", last, "1975-06-06"),
            new { kind = "supervision", sourceId = "S", personSourceId = "P", startedAt = "2024-01-01T00:00:00Z", supervisingOfficer = "po.jones@dc.test", status = "parole" });
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.release_notifications WHERE person_id = '{person}'"));   // the 2020 release (first booking)

        var released = await app.PushOkAsync(jail, Person("P", "Victor", last, "1975-06-06"), Booking("B2", "2024-01-01T00:00:00Z", "2025-02-01T12:00:00Z"));
        var notice = await notices.NextAsync(n => n.GetProperty("personId").GetGuid() == person && n.GetProperty("text").GetString()!.Contains("2025-02-01"));
        Assert.Equal("7", notice.GetProperty("district").GetString());
        Assert.Equal("po.jones@dc.test", notice.GetProperty("supervisingOfficer").GetString());
        Assert.Contains("recidivism: 2 bookings", notice.GetProperty("text").GetString());
        Assert.Contains(plate, notice.GetProperty("text").GetString());

        await app.PushOkAsync(jail, Person("P", "Victor", last, "1975-06-06"), Booking("B2", "2024-01-01T00:00:00Z", "2025-02-01T12:00:00Z"));
        Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM intelligence.release_notifications WHERE person_id = '{person}'"));

        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var requests = await (await analyst.GetAsync($"api/v1/intelligence/hotlist-requests?plate={plate}")).ReadJsonAsync();
        var latest = requests.AsArray().Select(r => r!).Single(r => r["expiresAt"]!.GetValue<DateTimeOffset>() == DateTimeOffset.Parse("2025-03-03T12:00:00Z"));
        Assert.Contains("released reoffender", latest["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_watched_or_recidivist_persons_raise_release_notices()
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var watched = Unique("Watched");
        var unwatched = Unique("Quiet");
        var watchedId = PersonIdOf(await app.PushOkAsync(jail, Person("W", "Ada", watched, "1980-01-01")), "W");
        var quietId = PersonIdOf(await app.PushOkAsync(jail, Person("Q", "Bea", unwatched, "1981-01-01")), "Q");
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var added = await analyst.PostAsJsonAsync("api/v1/intelligence/watchlist", new { name = "Gun violence task force", personId = watchedId });
        Assert.Equal(System.Net.HttpStatusCode.OK, added.StatusCode);
        var bad = await analyst.PostAsJsonAsync("api/v1/intelligence/watchlist", new { name = "nothing to watch" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);

        await app.PushOkAsync(jail,
            new { kind = "booking", sourceId = "BW", personSourceId = "W", facility = "Jail", startedAt = "2024-01-01T00:00:00Z", endedAt = "2024-06-01T00:00:00Z" },
            new { kind = "booking", sourceId = "BQ", personSourceId = "Q", facility = "Jail", startedAt = "2024-01-01T00:00:00Z", endedAt = "2024-06-01T00:00:00Z" });

        Assert.Equal(1, await app.CountEventuallyAsync($"""
            SELECT count(*) FROM intelligence.release_notifications n JOIN intelligence.outbox_messages m ON m.id = n.id
            WHERE n.person_id = '{watchedId}' AND m.dispatched_at IS NOT NULL
            """, 1));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.release_notifications WHERE person_id = '{quietId}'"));
    }

    [Fact]
    public async Task An_active_warrant_hotlists_the_persons_vehicles_and_clearing_it_withdraws_them()
    {
        var (_, court) = await app.RegisterAgencyAsync("court");
        var (_, police) = await app.RegisterAgencyAsync("police");
        var last = Unique("Warrant");
        var plate = "W" + Unique("")[..6].ToUpperInvariant();
        await app.PushOkAsync(police, Person("P", "Cal", last, "1990-09-09"),
            new { kind = "vehicle", sourceId = "V", personSourceId = "P", vehicle = new { plate, region = "VA" } });
        await app.PushOkAsync(court, Person("P", "Cal", last, "1990-09-09"), new { kind = "warrant", sourceId = "W1", personSourceId = "P", status = "active" });
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var active = Assert.Single((await (await analyst.GetAsync($"api/v1/intelligence/hotlist-requests?plate={plate}")).ReadJsonAsync()).AsArray());
        // The request for Plates committed with the records, in Intelligence's outbox (keyed by the request): a node dying now leaves it to
        // the sweep, where it was published after the commit and lost with the node (or with any failure of Plates' handler).
        var requestId = active!["id"]!.GetValue<Guid>();
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM intelligence.outbox_messages
            WHERE id = '{requestId}' AND type = 'SafeCities.Modules.Intelligence.Contracts.VehicleHotlistRequestedEvent' AND payload->>'plate' = '{plate}'
            """));
        Assert.Equal(1, await app.CountEventuallyAsync(
            $"SELECT count(*) FROM plates.hotlist_entries WHERE reference = '{requestId}' AND withdrawn_at IS NULL", 1));
        Assert.Contains("active warrant W1", active!["reason"]!.GetValue<string>());
        Assert.Null(active["withdrawnAt"]);

        await app.PushOkAsync(court, new { kind = "warrant", sourceId = "W1", personSourceId = "P", status = "cleared" });
        var withdrawn = Assert.Single((await (await analyst.GetAsync($"api/v1/intelligence/hotlist-requests?plate={plate}")).ReadJsonAsync()).AsArray());
        Assert.NotNull(withdrawn!["withdrawnAt"]);
        Assert.Equal(0, await app.CountEventuallyAsync(
            $"SELECT count(*) FROM plates.hotlist_entries WHERE reference = '{requestId}' AND withdrawn_at IS NULL", 0));
    }

    [Fact]
    public async Task A_vehicle_that_arrives_after_its_owners_active_warrant_is_hotlisted_once()
    {
        var (_, court) = await app.RegisterAgencyAsync("court");
        var (_, police) = await app.RegisterAgencyAsync("police");
        var last = Unique("Late");
        var plate = "L" + Unique("")[..6].ToUpperInvariant();
        await app.PushOkAsync(court, Person("P", "Dee", last, "1991-01-01"), new { kind = "warrant", sourceId = "W9", personSourceId = "P", status = "active" });
        await app.PushOkAsync(police, Person("P", "Dee", last, "1991-01-01"),
            new { kind = "vehicle", sourceId = "V", personSourceId = "P", vehicle = new { plate, region = "MD" } });

        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var request = Assert.Single((await (await analyst.GetAsync($"api/v1/intelligence/hotlist-requests?plate={plate}")).ReadJsonAsync()).AsArray());
        Assert.Contains("active warrant W9", request!["reason"]!.GetValue<string>());
        // Plates lists it when Intelligence's outbox delivers the request, just after the records' commit.
        Assert.Equal(1, await app.CountEventuallyAsync(
            $"SELECT count(*) FROM plates.hotlist_entries WHERE plate = '{plate}' AND hotlist_id = '6a1b7c3e-2f4d-4e8a-9c5b-0d1e2f3a4b5c' AND withdrawn_at IS NULL", 1));

        // the same vehicle sent again (an update) asks nothing new
        await app.PushOkAsync(police, new { kind = "vehicle", sourceId = "V", personSourceId = "P", vehicle = new { plate, region = "MD", colour = "blue" } });
        Assert.Single((await (await analyst.GetAsync($"api/v1/intelligence/hotlist-requests?plate={plate}")).ReadJsonAsync()).AsArray());

        // clearing the warrant withdraws it as for a vehicle that was there first
        await app.PushOkAsync(court, new { kind = "warrant", sourceId = "W9", personSourceId = "P", status = "cleared" });
        Assert.Equal(0, await app.CountEventuallyAsync(
            $"SELECT count(*) FROM plates.hotlist_entries WHERE plate = '{plate}' AND hotlist_id = '6a1b7c3e-2f4d-4e8a-9c5b-0d1e2f3a4b5c' AND withdrawn_at IS NULL", 0));
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM plates.hotlist_entries WHERE plate = '{plate}' AND hotlist_id = '6a1b7c3e-2f4d-4e8a-9c5b-0d1e2f3a4b5c' AND withdrawn_at IS NOT NULL"));
    }
}
