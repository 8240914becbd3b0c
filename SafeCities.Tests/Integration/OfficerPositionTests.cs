using System.Text.Json;
using System.Threading.Channels;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Integration;

/// <summary>
/// Officers share their phone's position (opt-in); a hotlist hit is pushed to the officers near the reader (each told how far they
/// are) and to commanders, never to officers far away or whose position went stale; who was told is on the hit's timeline.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OfficerPositionTests(AppFixture app)
{
    [Fact]
    public async Task A_hit_is_pushed_to_the_officers_near_the_reader_and_to_commanders_only()
    {
        var (lat, lon) = Api.Place();
        var (_, readerKey) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync(level: "high");
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate, reason: "armed robbery suspect vehicle");

        var near = await app.CreateUserAsync(Roles.Officer);
        var far = await app.CreateUserAsync(Roles.Officer);
        var stale = await app.CreateUserAsync(Roles.Officer);
        var commander = await app.CreateUserAsync(Roles.Commander);
        await ShareAsync(near, GeoMath.Offset(lat, lon, 600, 90));
        await ShareAsync(far, GeoMath.Offset(lat, lon, 9_000, 180));
        await ShareAsync(stale, GeoMath.Offset(lat, lon, 300, 0));
        await app.ExecuteAsync($"UPDATE alerts.officer_positions SET reported_at = now() - interval '40 minutes' WHERE user_name = '{stale}'");

        var inboxes = new[] { near, far, stale, commander }.ToDictionary(u => u, _ => Channel.CreateUnbounded<JsonElement>());
        var hubs = new List<Microsoft.AspNetCore.SignalR.Client.HubConnection>();
        foreach (var (user, inbox) in inboxes)
            hubs.Add(await app.BoardAsync(user, inbox));
        try
        {
            await app.SendReadsAsync(readerKey, PlatesKit.Read("near-1", plate, DateTimeOffset.UtcNow.AddSeconds(-1)));
            bool ThisHit(JsonElement n) => n.GetProperty("kind").GetString() == "HotlistHit" && n.GetProperty("title").GetString()!.Contains(plate);

            var toNear = await inboxes[near].NextAsync(ThisHit);
            Assert.Contains("armed robbery suspect vehicle", toNear.GetProperty("text").GetString());
            Assert.Matches(@"You are (59\d|60\d) m from the reader", toNear.GetProperty("text").GetString());
            var toCommander = await inboxes[commander].NextAsync(ThisHit);
            Assert.DoesNotContain("You are", toCommander.GetProperty("text").GetString());

            var hitId = toNear.GetProperty("id").GetGuid();
            var delivered = await app.WaitForTimelineAsync(hitId, "HitNoticeDelivered", module: "Alerts");
            var text = delivered["text"]!.GetValue<string>();
            Assert.StartsWith("Pushed to 1 officer within 3.0 km: ", text);
            Assert.Contains(near, text);
            Assert.DoesNotContain(far, text);
            Assert.DoesNotContain(stale, text);

            // The pushes went out before the timeline entry was written; give them a moment to arrive anywhere they (wrongly) might.
            await Task.Delay(500);
            foreach (var other in new[] { far, stale })
                while (inboxes[other].Reader.TryRead(out var n))
                    Assert.False(ThisHit(n), $"{other} should not have been told of the hit");
        }
        finally
        {
            foreach (var hub in hubs)
                await hub.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sharing_a_position_is_validated_listed_for_the_board_and_deleted_when_switched_off()
    {
        var officer = await app.CreateUserAsync(Roles.Officer);
        using var phone = await app.SignedInAsync(officer, pageToken: true);

        var missing = await phone.PutAsJsonAsync("api/v1/officers/me/position", new { longitude = -77.0 });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("latitude", (await missing.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key), StringComparer.OrdinalIgnoreCase);
        var outOfRange = await phone.PutAsJsonAsync("api/v1/officers/me/position", new { latitude = 91.0, longitude = -77.0 });
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.officer_positions WHERE user_name = '{officer}'"));

        var (lat, lon) = Api.Place();
        Assert.Equal(HttpStatusCode.OK, (await phone.PutAsJsonAsync("api/v1/officers/me/position", new { latitude = lat, longitude = lon, accuracyMeters = 12.5 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.PutAsJsonAsync("api/v1/officers/me/position", new { latitude = lat + 0.001, longitude = lon })).StatusCode);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.officer_positions WHERE user_name = '{officer}'"));

        using var admin = app.AdminClient();
        var listed = (await (await admin.GetAsync("api/v1/officers/positions")).ReadJsonAsync()).AsArray()
            .Single(p => p!["userName"]!.GetValue<string>() == officer)!;
        Assert.Equal(lat + 0.001, listed["latitude"]!.GetValue<double>(), 9);

        Assert.Equal(HttpStatusCode.NoContent, (await phone.DeleteAsync("api/v1/officers/me/position")).StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.officer_positions WHERE user_name = '{officer}'"));

        // A judge is not a responder: may not share a position nor see officers'.
        using var judge = await app.SignedInAsync(await app.CreateUserAsync(Roles.Judge));
        Assert.Equal(HttpStatusCode.Forbidden, (await judge.PutAsJsonAsync("api/v1/officers/me/position", new { latitude = lat, longitude = lon })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await judge.GetAsync("api/v1/officers/positions")).StatusCode);
    }

    private async Task ShareAsync(string email, (double Latitude, double Longitude) at)
    {
        using var phone = await app.SignedInAsync(email, pageToken: true);
        var shared = await phone.PutAsJsonAsync("api/v1/officers/me/position", new { latitude = at.Latitude, longitude = at.Longitude, accuracyMeters = 8 });
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
    }
}
