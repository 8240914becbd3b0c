using System.Text.RegularExpressions;
using SafeCities.Modules.Alerts.InboundCap;
using SafeCities.Tests.Integration.Plates;
using Xunit.Abstractions;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>
/// Polling other authorities' CAP feeds (issue 13, ADR 0038) against a real HTTP server: an Atom index's entries are each fetched and
/// received once, an unchanged index costs a 304, an entry that failed is fetched again on the next poll, bad feeds are reported on the feed
/// and store nothing, and an alert in force lands on the timeline of the open incidents inside its area.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CapFeedPollingTests(AppFixture app, ITestOutputHelper output)
{
    private static string Name() => "County EOC " + Guid.NewGuid().ToString("N")[..8];

    private async Task<Guid> SubscribeAsync(HttpClient admin, string name, string url)
    {
        var response = await admin.PostAsJsonAsync("api/v1/alerts/cap-feeds", new { name, url, intervalSeconds = 300 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync())["id"]!.GetValue<Guid>();
    }

    private static async Task<JsonNode> PollAsync(HttpClient admin, Guid feed)
    {
        var response = await admin.PostAsync($"api/v1/alerts/cap-feeds/{feed}/poll", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    private Task<long> ReceivedAsync(string name, params string[] identifiers) => app.CountAsync(
        $"SELECT count(*) FROM alerts.inbound_cap_alerts WHERE received_by = 'feed:{name}' AND identifier IN ({string.Join(',', identifiers.Select(i => $"'{i}'"))})");

    [Fact]
    public async Task An_atom_index_is_read_once_per_entry_and_an_unchanged_index_costs_a_304()
    {
        await using var server = await CapFeedServer.StartAsync();
        var (one, two) = (InboundCapKit.Identifier(), InboundCapKit.Identifier());
        var (lat, lon) = Api.Place();
        server.Put("/cap/1.xml", InboundCapKit.Message(one, lat: lat, lon: lon));
        server.Put("/cap/2.xml", InboundCapKit.Message(two, lat: lat, lon: lon));
        var updated = DateTimeOffset.UtcNow;
        server.Put("/feed.atom", CapFeedServer.Atom(("e1", updated, "/cap/1.xml"), ("e2", updated, server.Url("/cap/2.xml"))), "application/atom+xml");
        using var admin = app.AdminClient();
        var name = Name();
        var feed = await SubscribeAsync(admin, name, server.Url("/feed.atom"));

        var first = await PollAsync(admin, feed);
        Assert.Equal("read: 2 new, 0 already received, 0 refused", first["lastResult"]!.GetValue<string>());
        Assert.Null(first["lastError"]);
        Assert.Equal(2, first["messagesReceived"]!.GetValue<int>());
        Assert.Equal(2, await ReceivedAsync(name, one, two));
        Assert.Equal((1, 1, 1), (server.Hits("/feed.atom"), server.Hits("/cap/1.xml"), server.Hits("/cap/2.xml")));

        // Unchanged: the poll sends the ETag, gets a 304 and fetches no entry.
        var second = await PollAsync(admin, feed);
        Assert.Equal("304 not modified", second["lastResult"]!.GetValue<string>());
        var last = server.Requests.Last(r => r.Path == "/feed.atom");
        Assert.NotNull(last.IfNoneMatch);
        Assert.Equal(304, last.Status);
        Assert.Equal((1, 1), (server.Hits("/cap/1.xml"), server.Hits("/cap/2.xml")));

        // A new entry (an official CAP 1.2 example under a fresh identifier): only it is fetched.
        if (SharedData.FileOrSkip("cap/cap12_appendixA2_severe_thunderstorm.xml", output) is not { } path)
            return;
        var three = InboundCapKit.Identifier();
        server.Put("/cap/3.xml", Regex.Replace(await File.ReadAllTextAsync(path), "<identifier>[^<]+</identifier>", $"<identifier>{three}</identifier>"));
        server.Put("/feed.atom", CapFeedServer.Atom(("e3", updated, "/cap/3.xml"), ("e1", updated, "/cap/1.xml"), ("e2", updated, "/cap/2.xml")),
            "application/atom+xml");
        var third = await PollAsync(admin, feed);
        Assert.Equal("read: 1 new, 0 already received, 0 refused", third["lastResult"]!.GetValue<string>());
        Assert.Equal(3, third["messagesReceived"]!.GetValue<int>());
        Assert.Equal((1, 1, 1), (server.Hits("/cap/1.xml"), server.Hits("/cap/2.xml"), server.Hits("/cap/3.xml")));
        Assert.Equal(3, await ReceivedAsync(name, one, two, three));
        // The feed's row as administrators see it in the list.
        var listed = (await (await admin.GetAsync("api/v1/alerts/cap-feeds")).ReadJsonAsync()).AsArray().Single(f => f!["id"]!.GetValue<Guid>() == feed)!;
        Assert.Equal(3, listed["messagesReceived"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_entry_that_failed_is_fetched_on_the_next_poll_and_bad_feeds_are_reported_without_storing_anything()
    {
        await using var server = await CapFeedServer.StartAsync();
        using var admin = app.AdminClient();
        var (good, late) = (InboundCapKit.Identifier(), InboundCapKit.Identifier());
        server.Put("/cap/good.xml", InboundCapKit.Message(good));
        server.Put("/cap/late.xml", "busy", "text/plain", status: 503);
        server.Put("/alerts.rss", CapFeedServer.Rss(("g", "/cap/good.xml"), ("l", "/cap/late.xml"), ("x", "http://192.0.2.10/cap/x.xml")), "application/rss+xml");
        var name = Name();
        var rss = await SubscribeAsync(admin, name, server.Url("/alerts.rss"));

        var first = await PollAsync(admin, rss);
        Assert.Equal("read: 1 new, 0 already received, 1 refused", first["lastResult"]!.GetValue<string>());
        Assert.Contains("HTTP 503", first["lastError"]!.GetValue<string>());
        Assert.Equal(1, await ReceivedAsync(name, good, late));

        // The failed entry was not marked seen and the feed's ETag not kept: the next poll reads the index again and fetches only that entry.
        server.Put("/cap/late.xml", InboundCapKit.Message(late));
        var second = await PollAsync(admin, rss);
        Assert.Equal("read: 1 new, 0 already received, 0 refused", second["lastResult"]!.GetValue<string>());
        Assert.Null(second["lastError"]);
        Assert.Equal(2, await ReceivedAsync(name, good, late));
        Assert.Equal((1, 2), (server.Hits("/cap/good.xml"), server.Hits("/cap/late.xml")));
        Assert.Equal(0, server.Hits("/cap/x.xml"));   // off the feed's host: refused without a request (it would not reach this server anyway)
        Assert.Equal(2, server.Hits("/alerts.rss"));

        // A single CAP message by address.
        var single = InboundCapKit.Identifier();
        server.Put("/cap/single.xml", InboundCapKit.Message(single));
        var singleName = Name();
        Assert.Equal("read: 1 new, 0 already received, 0 refused",
            (await PollAsync(admin, await SubscribeAsync(admin, singleName, server.Url("/cap/single.xml"))))["lastResult"]!.GetValue<string>());
        Assert.Equal(1, await ReceivedAsync(singleName, single));

        // Bad feeds: each poll answers 200 with the problem on the feed; nothing is stored.
        var before = await app.CountAsync("SELECT count(*) FROM alerts.inbound_cap_alerts");
        server.Put("/page.html", "<html><body>Alerts</body></html>", "text/html");
        server.Put("/doctype.xml", """<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]><feed xmlns="http://www.w3.org/2005/Atom">&x;</feed>""",
            "application/xml");
        server.Put("/broken.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>", "application/xml");
        server.Put("/gone.xml", "gone", "text/plain", status: 500);
        foreach (var (path, expected) in new[]
                 {
                     ("/page.html", "Neither a CAP message nor an Atom or RSS feed"), ("/doctype.xml", "DTD"), ("/broken.xml", "end"), ("/gone.xml", "HTTP 500"),
                 })
        {
            var polled = await PollAsync(admin, await SubscribeAsync(admin, Name(), server.Url(path)));
            Assert.Contains(expected, polled["lastError"]?.GetValue<string>() ?? "(no error)", StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM alerts.inbound_cap_alerts"));
    }

    [Fact]
    public async Task Only_administrators_subscribe_and_only_to_http_addresses_once()
    {
        using var admin = app.AdminClient();
        foreach (var (bad, reason) in new[]
                 {
                     ("file:///etc/passwd", "http"), ("ftp://example.test/feed", "http"), ("http://user:secret@example.test/feed", "password"), ("feed.atom", "http"),
                 })
        {
            var refused = await admin.PostAsJsonAsync("api/v1/alerts/cap-feeds", new { name = "Bad", url = bad, intervalSeconds = 300 });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(reason, await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
        var tooOften = await admin.PostAsJsonAsync("api/v1/alerts/cap-feeds", new { name = "Fast", url = "http://127.0.0.1:9/fast.atom", intervalSeconds = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, tooOften.StatusCode);

        var url = $"http://127.0.0.1:9/{Guid.NewGuid():N}.atom";
        var feed = await SubscribeAsync(admin, Name(), url);
        var again = await admin.PostAsJsonAsync("api/v1/alerts/cap-feeds", new { name = "Again", url });
        Assert.True(again.StatusCode == HttpStatusCode.Conflict, await again.Content.ReadAsStringAsync());
        using var commander = await app.SignedInAsync(Users.Commander);
        Assert.Equal(HttpStatusCode.Forbidden, (await commander.GetAsync("api/v1/alerts/cap-feeds")).StatusCode);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'cap-feed-add' AND details->>'feedId' = '{feed}'"));

        // Nothing listens on the discard port: the poll answers with the failure recorded, not an error.
        var polled = await PollAsync(admin, feed);
        Assert.NotNull(polled["lastError"]);
        Assert.StartsWith("failed", polled["lastResult"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/v1/alerts/cap-feeds/{feed}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"api/v1/alerts/cap-feeds/{feed}/poll", null)).StatusCode);
    }

    [Fact]
    public async Task An_alert_in_force_lands_on_the_timeline_of_the_open_incidents_inside_its_area_only()
    {
        var (lat, lon) = Api.Place();
        var inside = await app.ReportGunshotAsync(lat, lon);
        var (farLat, farLon) = Api.Place();
        var outside = await app.ReportGunshotAsync(farLat, farLon);
        var identifier = InboundCapKit.Identifier();

        var response = await app.PushAsync(app.AdminKey, InboundCapKit.Message(identifier, lat: lat, lon: lon, headline: $"Shelter in place {identifier}"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True((await response.ReadJsonAsync())["incidentsAttached"]!.GetValue<int>() >= 1);

        using var admin = app.AdminClient();
        async Task<JsonNode[]> EntriesAsync(Guid incident) => [.. (await (await admin.GetAsync($"api/v1/incidents/{incident}")).ReadJsonAsync())["timeline"]!.AsArray()
            .Where(t => t!["kind"]!.GetValue<string>() == ReceiveInboundCapCommandHandler.TimelineKind && t["text"]!.GetValue<string>().Contains(identifier))
            .Select(t => t!)];
        var entry = Assert.Single(await EntriesAsync(inside));
        Assert.Contains("Law Enforcement Warning (Severe) from County Emergency Management", entry["text"]!.GetValue<string>());
        Assert.Empty(await EntriesAsync(outside));

        // An exercise is not attached.
        var exercise = InboundCapKit.Message(InboundCapKit.Identifier(), lat: lat, lon: lon).Replace("<status>Actual</status>", "<status>Exercise</status>");
        Assert.Equal(0, (await (await app.PushAsync(app.AdminKey, exercise)).ReadJsonAsync())["incidentsAttached"]!.GetValue<int>());
    }
}
