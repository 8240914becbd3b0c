namespace SafeCities.Tests.Integration.Plates;

/// <summary>A hotlist hit is an alert on the command board: an incident at the reader, with the usual lifecycle, opened once per hit.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistAlertTests(AppFixture app)
{
    [Fact]
    public async Task A_hit_opens_one_hotlist_incident_at_the_reader_that_can_be_acknowledged()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate, reason: "stolen vehicle");

        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow));
        var hit = Assert.Single(await app.HitsAsync(plate))!;
        var hitId = hit["id"]!.GetValue<Guid>();
        // The hit is stored with the read; Alerts hears of it through Plates' outbox, just after the reader's answer.
        Assert.Equal(1, await app.CountEventuallyAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hitId}'", 1));

        using var admin = app.AdminClient();
        var open = (await (await admin.GetAsync("api/v1/incidents?status=open")).ReadJsonAsync()).AsArray();
        var alert = Assert.Single(open, i => i!["id"]!.GetValue<Guid>() == hitId)!;
        Assert.Equal("hotlist-hit", alert["kind"]!.GetValue<string>());
        Assert.Contains(plate, alert["title"]!.GetValue<string>());
        Assert.Equal(lat, alert["latitude"]!.GetValue<double>(), 5);
        var detail = await (await admin.GetAsync($"api/v1/incidents/{hitId}")).ReadJsonAsync();
        Assert.Contains("stolen vehicle", detail["timeline"]![0]!["text"]!.GetValue<string>());

        // The same hit again (a re-delivered event) opens nothing new.
        await app.InScopeAsync(async sp =>
        {
            var publisher = sp.GetRequiredService<Mediator.IPublisher>();
            var e = new SafeCities.Modules.Plates.Contracts.HotlistHitEvent(hitId, list, "list", "high", "all-staff", "owner", "stolen vehicle", plate, plate,
                "DC", "exact", Guid.NewGuid(), "reader", lat, lon, DateTimeOffset.UtcNow, false);
            await publisher.Publish(e);
            return 0;
        });
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hitId}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.timeline WHERE incident_id = '{hitId}' AND kind = 'HotlistHit'"));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"api/v1/incidents/{hitId}/acknowledge", null)).StatusCode);
    }
}
