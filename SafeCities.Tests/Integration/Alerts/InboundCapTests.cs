using System.Net.Sockets;
using System.Text;
using Npgsql;
using SafeCities.Tests.Integration.Intelligence;
using Xunit.Abstractions;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>
/// Inbound CAP through the real app (issue 13): the official examples parse with their areas, a repeat is idempotent, Update/Cancel follow
/// their references, hostile or broken messages are refused with a reason and write nothing, and only partner feed keys and administrators push.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InboundCapTests(AppFixture app, ITestOutputHelper output)
{
    private async Task<string> TextAsync(string sql)
    {
        await using var db = new NpgsqlConnection(app.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> StoredAsync() => app.CountAsync("SELECT (SELECT count(*) FROM alerts.inbound_cap_alerts) * 100000 + (SELECT count(*) FROM alerts.inbound_cap_areas)");

    [Theory]
    [InlineData("cap12_appendixA1_homeland_security.xml", 1, "43b080713727", "")]
    [InlineData("cap12_appendixA2_severe_thunderstorm.xml", 1, "KSTO1055887203", "ST_Polygon")]
    [InlineData("cap12_appendixA3_earthquake_update.xml", 1, "TRI13970876.2", "ST_Point")]
    [InlineData("cap12_appendixA4_amber_alert.xml", 2, "KAR0-0306112239-SW", ",")]
    [InlineData("ipaws_real_local_area_emergency_police.xml", 1, "402013233923688", "ST_Polygon")]
    public async Task An_official_example_is_stored_with_its_areas_and_pushed_again_answers_200_with_the_same_id(string file, int areas, string identifier,
        string geometries)
    {
        if (SharedData.FileOrSkip("cap/" + file, output) is not { } path)
            return;
        var xml = await File.ReadAllTextAsync(path);
        var (_, feed) = await app.RegisterAgencyAsync("police");

        var first = await app.PushAsync(feed, xml);
        var body = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Created, body);
        var created = JsonNode.Parse(body)!;
        Assert.Equal(identifier, created["identifier"]!.GetValue<string>());
        Assert.Equal(areas, created["areas"]!.GetValue<int>());
        var id = created["id"]!.GetValue<Guid>();
        // The areas as stored: geometry types in order (none for an area given only by description or geocode), geocodes as text.
        Assert.Equal(geometries, await TextAsync(
            $"SELECT coalesce(string_agg(coalesce(ST_GeometryType(area::geometry), ''), ',' ORDER BY position), '') FROM alerts.inbound_cap_areas WHERE alert_id = '{id}'"));
        if (file.Contains("amber", StringComparison.Ordinal))
            Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM alerts.inbound_cap_areas WHERE alert_id = '{id}' AND geocodes = 'SAME=006037'"));

        var stored = await StoredAsync();
        var again = await app.PushAsync(feed, xml, "application/xml");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var repeat = await again.ReadJsonAsync();
        Assert.Equal(id, repeat["id"]!.GetValue<Guid>());
        Assert.Equal(areas, repeat["areas"]!.GetValue<int>());
        Assert.Equal(stored, await StoredAsync());
    }

    [Fact]
    public async Task An_update_supersedes_and_a_cancel_cancels_what_the_same_agency_sent_but_not_another_agencys_alert()
    {
        var (_, feed) = await app.RegisterAgencyAsync("police");
        var (_, other) = await app.RegisterAgencyAsync("police");
        const string sender = "eoc@county.example";
        var sent = DateTimeOffset.UtcNow.AddMinutes(-10);
        var first = InboundCapKit.Identifier();
        var alert = await (await app.PushAsync(feed, InboundCapKit.Message(first, sender, sent: sent))).ReadJsonAsync();

        // Another agency cannot cancel it by naming it.
        var hijack = await app.PushAsync(other, InboundCapKit.Message(InboundCapKit.Identifier(), sender, "Cancel", InboundCapKit.Reference(sender, first, sent)));
        Assert.Equal(HttpStatusCode.Created, hijack.StatusCode);
        Assert.Equal(0, (await hijack.ReadJsonAsync())["referencesApplied"]!.GetValue<int>());
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.inbound_cap_alerts WHERE id = '{alert["id"]}' AND (cancelled_at IS NOT NULL OR superseded_at IS NOT NULL)"));

        var second = InboundCapKit.Identifier();
        var updateSent = sent.AddMinutes(5);
        var update = await app.PushAsync(feed, InboundCapKit.Message(second, sender, "Update", InboundCapKit.Reference(sender, first, sent), sent: updateSent));
        Assert.Equal(HttpStatusCode.Created, update.StatusCode);
        var updated = await update.ReadJsonAsync();
        Assert.Equal(1, updated["referencesApplied"]!.GetValue<int>());
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM alerts.inbound_cap_alerts WHERE id = '{alert["id"]}' AND superseded_at IS NOT NULL AND superseded_by_id = '{updated["id"]}' AND cancelled_at IS NULL"));

        // The Cancel names the whole thread (as CAP senders do); the Update is cancelled, the Alert stays superseded.
        var cancel = await app.PushAsync(feed, InboundCapKit.Message(InboundCapKit.Identifier(), sender, "Cancel",
            $"{InboundCapKit.Reference(sender, first, sent)} {InboundCapKit.Reference(sender, second, updateSent)}", sent: sent.AddMinutes(8)));
        Assert.Equal(HttpStatusCode.Created, cancel.StatusCode);
        Assert.Equal(2, (await cancel.ReadJsonAsync())["referencesApplied"]!.GetValue<int>());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.inbound_cap_alerts WHERE id = '{updated["id"]}' AND cancelled_at IS NOT NULL"));

        // An Update of a message we never received is stored, applying nothing.
        var unknown = await app.PushAsync(feed, InboundCapKit.Message(InboundCapKit.Identifier(), sender, "Update", InboundCapKit.Reference(sender, "NEVER-SEEN", sent)));
        Assert.Equal(HttpStatusCode.Created, unknown.StatusCode);
        Assert.Equal(0, (await unknown.ReadJsonAsync())["referencesApplied"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_CAP_1_1_message_is_taken_from_an_administrator_and_a_commander_or_anonymous_caller_is_turned_away()
    {
        var identifier = InboundCapKit.Identifier();
        var message = InboundCapKit.Message(identifier, ns: InboundCapKit.Cap11);
        var created = await app.PushAsync(app.AdminKey, message, "text/xml; charset=utf-8");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(2, (await created.ReadJsonAsync())["areas"]!.GetValue<int>());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.inbound_cap_alerts WHERE identifier = '{identifier}' AND cap_version = '1.1' AND agency_id IS NULL"));

        var stored = await StoredAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PushAsync(await app.CreateClientKeyAsync(Roles.Commander), InboundCapKit.Message(InboundCapKit.Identifier()))).StatusCode);
        using var anonymous = app.Client();
        var response = await anonymous.PostAsync("api/v1/alerts/cap", new StringContent(InboundCapKit.Message(InboundCapKit.Identifier()), Encoding.UTF8, "application/cap+xml"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(stored, await StoredAsync());
    }

    public static TheoryData<string> Refusals() => [.. Broken().Keys];

    /// <summary>Each refused message by name (the names are the test cases; the bodies are made when run).</summary>
    private static Dictionary<string, string> Broken()
    {
        string Good(string areas = "") => InboundCapKit.Message(InboundCapKit.Identifier(), areas: areas.Length > 0 ? areas : null);
        var good = Good();
        return new()
        {
            { "malformed (cut in half)", good[..(good.Length / 2)] },
            { "not XML", "{\"identifier\": \"x\"}" },
            { "wrong namespace", good.Replace(InboundCapKit.Cap12, "http://www.incident.com/cap/1.0", StringComparison.Ordinal) },
            { "not an alert", $"<feed xmlns=\"{InboundCapKit.Cap12}\"/>" },
            { "missing identifier", System.Text.RegularExpressions.Regex.Replace(good, "<identifier>[^<]*</identifier>", "") },
            { "empty sender", System.Text.RegularExpressions.Regex.Replace(good, "<sender>[^<]*</sender>", "<sender> </sender>") },
            { "unknown msgType", good.Replace("<msgType>Alert</msgType>", "<msgType>Bulletin</msgType>", StringComparison.Ordinal) },
            { "update without references", good.Replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>", StringComparison.Ordinal) },
            { "sent in 1970", System.Text.RegularExpressions.Regex.Replace(good, "<sent>[^<]*</sent>", "<sent>1970-01-01T00:00:00-00:00</sent>") },
            { "sent a year ahead", System.Text.RegularExpressions.Regex.Replace(good, "<sent>[^<]*</sent>", $"<sent>{InboundCapKit.Time(DateTimeOffset.UtcNow.AddYears(1))}</sent>") },
            { "sent not a date", System.Text.RegularExpressions.Regex.Replace(good, "<sent>[^<]*</sent>", "<sent>yesterday</sent>") },
            { "expires before sent", System.Text.RegularExpressions.Regex.Replace(good, "<expires>[^<]*</expires>", "<expires>2001-01-01T00:00:00-00:00</expires>") },
            { "polygon with a latitude of 95", Good("<area><areaDesc>x</areaDesc><polygon>95,1 1,2 2,2 95,1</polygon></area>") },
            { "polygon crossing itself", Good("<area><areaDesc>x</areaDesc><polygon>38.80,-77.00 38.90,-76.90 38.90,-77.00 38.80,-76.90 38.80,-77.00</polygon></area>") },
            { "polygon of two points", Good("<area><areaDesc>x</areaDesc><polygon>38.8,-77 38.9,-76.9</polygon></area>") },
            { "polygon of words", Good("<area><areaDesc>x</areaDesc><polygon>north of the river</polygon></area>") },
            { "circle with a negative radius", Good("<area><areaDesc>x</areaDesc><circle>38.85,-76.99 -2</circle></area>") },
            { "circle of NaN", Good("<area><areaDesc>x</areaDesc><circle>NaN,-76.99 2</circle></area>") },
            { "circle of 50000 km", Good("<area><areaDesc>x</areaDesc><circle>38.85,-76.99 50000</circle></area>") },
            { "oversize", good.Replace("<info>", "<info><description>" + new string('A', 600 * 1024) + "</description>", StringComparison.Ordinal) },
            { "NUL character reference", good.Replace("Police activity", "Police&#0;activity", StringComparison.Ordinal) },
            { "billion laughs", "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                                + good[(good.IndexOf("?>", StringComparison.Ordinal) + 2)..].Replace("Police activity", "&lol2;", StringComparison.Ordinal) },
        };
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_broken_or_hostile_message_is_refused_with_400_and_the_reason_and_nothing_is_written(string name)
    {
        var xml = Broken()[name];
        var (_, feed) = await app.RegisterAgencyAsync("police");
        var stored = await StoredAsync();
        var response = await app.PushAsync(feed, xml);
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{name}: {(int)response.StatusCode} {body}");
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(JsonNode.Parse(body)!["detail"]?.GetValue<string>()), body);
        Assert.Equal(stored, await StoredAsync());
    }

    [Fact]
    public async Task A_message_with_a_DTD_declaring_external_entities_is_refused_without_reading_the_file_or_fetching_the_URL()
    {
        var (_, feed) = await app.RegisterAgencyAsync("police");
        var secret = Path.Combine(Path.GetTempPath(), $"cap-xxe-{Guid.NewGuid():N}.txt");
        var marker = "SECRET-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(secret, marker);
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        try
        {
            var good = InboundCapKit.Message(InboundCapKit.Identifier());
            var xml = $"<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY file SYSTEM \"file://{secret}\"><!ENTITY web SYSTEM \"http://127.0.0.1:{port}/entity\">"
                      + $"<!ENTITY % remote SYSTEM \"http://127.0.0.1:{port}/dtd\"> %remote;]>"
                      + good[(good.IndexOf("?>", StringComparison.Ordinal) + 2)..].Replace("Police activity", "&file; &web;", StringComparison.Ordinal);
            var stored = await StoredAsync();
            var response = await app.PushAsync(feed, xml);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            Assert.Contains("DTD", body, StringComparison.Ordinal);
            Assert.DoesNotContain(marker, body, StringComparison.Ordinal);
            Assert.Equal(stored, await StoredAsync());
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.inbound_cap_alerts WHERE xml LIKE '%{marker}%'"));
            // Nothing connected to the entities' URL: the parser never resolved them.
            await Task.Delay(200);
            Assert.False(listener.Pending(), "the parser connected to the external entity's URL");
        }
        finally
        {
            listener.Stop();
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task A_body_of_another_type_or_an_empty_body_is_refused_with_400()
    {
        var (_, feed) = await app.RegisterAgencyAsync("police");
        var stored = await StoredAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PushAsync(feed, InboundCapKit.Message(InboundCapKit.Identifier()), "application/json")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PushAsync(feed, "", "application/cap+xml")).StatusCode);
        Assert.Equal(stored, await StoredAsync());
    }
}
