using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using SafeCities.Tests.Integration.Lighting;
using SafeCities.Tests.Unit.Alerts;
using Xunit.Abstractions;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>Public alerts through the real app: the two-person rule, Update/Cancel references, the public CAP feed with ETags.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PublicAlertsTests(AppFixture app, ITestOutputHelper output)
{
    private static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";

    internal static object Content(string headline, bool polygon = false, DateTimeOffset? expires = null) => new
    {
        @event = "Armed suspect", category = "Security", severity = "Severe", urgency = "Immediate", certainty = "Observed", responseType = "Shelter",
        // Times with the city's offset, as people write them (stored as UTC).
        onset = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-5)), expires = (expires ?? DateTimeOffset.UtcNow.AddHours(2)).ToOffset(TimeSpan.FromHours(-5)),
        areaDescription = "Congress Heights",
        circleLatitude = polygon ? (double?)null : 38.8531, circleLongitude = polygon ? (double?)null : -76.9929, circleRadiusMeters = polygon ? (double?)null : 600,
        polygon = polygon ? new[] { new { latitude = 38.850, longitude = -76.995 }, new { latitude = 38.850, longitude = -76.990 }, new { latitude = 38.855, longitude = -76.990 } } : null,
        headlineEn = headline, descriptionEn = "Police are searching for an armed suspect.", instructionEn = "Stay indoors.",
        headlineEs = "Refúgiese: " + headline, descriptionEs = "La policía busca a un sospechoso armado.", instructionEs = "Permanezca adentro.",
    };

    private async Task<(HttpClient Author, HttpClient Reviewer)> CommandersAsync() =>
        (app.Client(await app.CreateClientKeyAsync(Roles.Commander)), app.Client(await app.CreateClientKeyAsync(Roles.Commander)));

    private static async Task<JsonNode> DraftAsync(HttpClient author, object content, string path = "api/v1/public-alerts", Guid? incidentId = null)
    {
        var response = await author.PostAsJsonAsync(path, new { content, incidentId });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    private static async Task<JsonNode> ApproveAsync(HttpClient reviewer, JsonNode draft)
    {
        var response = await reviewer.PostAsync($"api/v1/public-alerts/{draft["id"]}/approve", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    private XmlSchemaSet? Schema()
    {
        if (SharedData.FileOrSkip("cap/CAP-v1.2.xsd", output) is not { } xsd)
            return null;
        var set = new XmlSchemaSet();
        using (var reader = XmlReader.Create(xsd))
            set.Add(null, reader);
        return set;
    }

    private async Task<XElement> CapAsync(string identifier)
    {
        using var anonymous = app.Client();
        var response = await anonymous.GetAsync($"cap/alerts/{identifier}.xml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/cap+xml", response.Content.Headers.ContentType!.MediaType);
        var xml = await response.Content.ReadAsStringAsync();
        if (Schema() is { } schema)
            Assert.Empty(CapMessageTests.SchemaErrors(schema, xml));
        return XDocument.Parse(xml).Root!;
    }

    [Fact]
    public async Task The_author_can_never_approve_their_own_draft_a_second_commander_issues_it_and_both_steps_are_audited()
    {
        var (author, reviewer) = await CommandersAsync();
        using var _ = author;
        using var __ = reviewer;
        var headline = "Two-person " + Guid.NewGuid().ToString("N")[..8];
        var draft = await DraftAsync(author, Content(headline));
        Assert.Equal("draft", draft["state"]!.GetValue<string>());
        Assert.Null(draft["identifier"]);

        // Not public while a draft.
        using var anonymous = app.Client();
        Assert.DoesNotContain(headline, await anonymous.GetStringAsync("api/v1/public-alerts/current"), StringComparison.Ordinal);

        var own = await author.PostAsync($"api/v1/public-alerts/{draft["id"]}/approve", null);
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("two-person rule", (await own.ReadJsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'public-alert-approval-refused' AND details->>'id' = '{draft["id"]}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.public_alert_messages WHERE id = '{draft["id"]}' AND state = 'draft'"));

        // An officer may not approve either.
        using (var officer = app.Client(await app.CreateClientKeyAsync(Roles.Officer)))
            Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync($"api/v1/public-alerts/{draft["id"]}/approve", null)).StatusCode);

        var issued = await ApproveAsync(reviewer, draft);
        Assert.Equal("issued", issued["state"]!.GetValue<string>());
        Assert.True(issued["current"]!.GetValue<bool>());
        var author_ = draft["createdBy"]!.GetValue<string>();
        var approver = issued["approvedBy"]!.GetValue<string>();
        Assert.NotEqual(author_, approver);
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'public-alert-approve' AND actor = '{approver}'
              AND details->>'author' = '{author_}' AND details->>'approver' = '{approver}' AND details->>'identifier' = '{issued["identifier"]}'
            """));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'public-alert-draft' AND actor = '{author_}' AND details->>'id' = '{draft["id"]}'"));

        // Issued once: approving again is a conflict.
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PostAsync($"api/v1/public-alerts/{draft["id"]}/approve", null)).StatusCode);

        var cap = await CapAsync(issued["identifier"]!.GetValue<string>());
        Assert.Equal("Alert", cap.Element(Cap + "msgType")!.Value);
        Assert.Equal([headline, "Refúgiese: " + headline], cap.Elements(Cap + "info").Select(i => i.Element(Cap + "headline")!.Value).ToArray());
        Assert.Contains(headline, await anonymous.GetStringAsync("api/v1/public-alerts/current"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commander_closing_an_incident_is_told_which_of_its_public_alerts_are_in_effect_until_one_is_cancelled()
    {
        var place = Api.Place();
        var incident = await app.PostGunshotAsync(place.Lat, place.Lon);
        var (author, reviewer) = await CommandersAsync();
        using var _ = author;
        using var __ = reviewer;
        var headline = "Shelter " + Guid.NewGuid().ToString("N")[..8];
        var alert = await ApproveAsync(reviewer, await DraftAsync(author, Content(headline), incidentId: incident));
        await ApproveAsync(reviewer, await DraftAsync(author, Content("Not about it " + headline)));   // another incident's or none: not listed
        await app.WaitForTimelineTextAsync(incident, $"Public alert issued: {headline} (drafted by ");   // not "Public alert alert issued"

        using var commander = await app.SignedInAsync(Users.Commander);
        var page = await commander.GetStringAsync($"Alerts/Incidents/Details/{incident}");
        // In the close dialog (ADR 0068: closing stands the lights and readers down, never what the public was told) and under the actions,
        // linked to the alert's page where it is cancelled, with its expiry in the city's clock.
        var dialog = Regex.Match(page, "<div [^>]*id=\"close-public-alerts\".*?</div>", RegexOptions.Singleline).Value;
        Assert.Contains($"<a href=\"/Alerts/PublicAlerts/Details/{alert["id"]}\" data-public-alert-id=\"{alert["id"]}\">“{headline}”</a> until <time ", dialog);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T</time>\.", dialog);
        Assert.DoesNotContain("Not about it", page);
        Assert.Contains("id=\"public-alerts-in-effect\"", page);

        Assert.Equal(HttpStatusCode.OK, (await author.PostAsJsonAsync($"api/v1/public-alerts/{alert["id"]}/cancel", new { reason = "All clear" })).StatusCode);
        page = await commander.GetStringAsync($"Alerts/Incidents/Details/{incident}");
        Assert.DoesNotContain("close-public-alerts", page);
        Assert.DoesNotContain("public-alerts-in-effect", page);
        Assert.Contains("id=\"close-dialog\"", page);   // the page itself is drawn as before
    }

    [Fact]
    public async Task Update_and_cancel_issue_CAP_messages_referencing_the_original_and_the_cancelled_alert_leaves_the_public_list()
    {
        var (author, reviewer) = await CommandersAsync();
        using var _ = author;
        using var __ = reviewer;
        var headline = "Thread " + Guid.NewGuid().ToString("N")[..8];
        var original = await ApproveAsync(reviewer, await DraftAsync(author, Content(headline)));

        // The update is drafted by the reviewer this time and approved by the first commander.
        var update = await ApproveAsync(author, await DraftAsync(reviewer, Content(headline + " (area widened)", polygon: true),
            $"api/v1/public-alerts/{original["id"]}/update"));
        Assert.Equal("Update", update["msgType"]!.GetValue<string>());
        Assert.Equal(original["threadId"]!.GetValue<Guid>(), update["threadId"]!.GetValue<Guid>());

        var originalCap = await CapAsync(original["identifier"]!.GetValue<string>());
        var sender = originalCap.Element(Cap + "sender")!.Value;
        var originalRef = $"{sender},{original["identifier"]},{originalCap.Element(Cap + "sent")!.Value}";
        var updateCap = await CapAsync(update["identifier"]!.GetValue<string>());
        Assert.Equal(originalRef, updateCap.Element(Cap + "references")!.Value);
        Assert.Equal(2, updateCap.Descendants(Cap + "area").Count());   // English and Spanish info
        Assert.All(updateCap.Descendants(Cap + "area"), a => Assert.Equal("38.85,-76.995 38.85,-76.99 38.855,-76.99 38.85,-76.995", a.Element(Cap + "polygon")!.Value));

        // The original is superseded: it can no longer be updated or cancelled (the update can).
        Assert.Equal(HttpStatusCode.Conflict, (await author.PostAsJsonAsync($"api/v1/public-alerts/{original["id"]}/cancel", new { reason = "x" })).StatusCode);
        var cancelled = await author.PostAsJsonAsync($"api/v1/public-alerts/{update["id"]}/cancel", new { reason = "Suspect in custody" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var cancel = await cancelled.ReadJsonAsync();
        var cancelCap = await CapAsync(cancel["identifier"]!.GetValue<string>());
        Assert.Equal("Cancel", cancelCap.Element(Cap + "msgType")!.Value);
        Assert.Equal($"{originalRef} {sender},{update["identifier"]},{updateCap.Element(Cap + "sent")!.Value}", cancelCap.Element(Cap + "references")!.Value);
        Assert.Equal("Suspect in custody", cancelCap.Element(Cap + "note")!.Value);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'public-alert-cancel' AND details->>'identifier' = '{cancel["identifier"]}'"));

        using var anonymous = app.Client();
        var current = await anonymous.GetStringAsync("api/v1/public-alerts/current");
        Assert.DoesNotContain(headline, current, StringComparison.Ordinal);
        // The feed lists the Cancel (receivers learn of it), not the superseded messages.
        var feed = await anonymous.GetStringAsync("cap/alerts.atom");
        Assert.Contains($"cap/alerts/{cancel["identifier"]}.xml", feed, StringComparison.Ordinal);
        Assert.DoesNotContain($"cap/alerts/{original["identifier"]}.xml", feed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_public_feed_is_anonymous_cacheable_with_a_strong_ETag_and_answers_304_until_something_is_issued()
    {
        using var anonymous = app.Client();
        var first = await anonymous.GetAsync("cap/alerts.atom");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/atom+xml", first.Content.Headers.ContentType!.MediaType);
        Assert.True(first.Headers.CacheControl!.Public);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        XDocument.Parse(await first.Content.ReadAsStringAsync());   // well-formed Atom

        async Task<HttpResponseMessage> Conditional(string path, EntityTagHeaderValue tag)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.IfNoneMatch.Add(tag);
            return await anonymous.SendAsync(request);
        }
        var again = await Conditional("cap/alerts.atom", etag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await Conditional("cap/alerts.atom", new EntityTagHeaderValue("\"other\""))).StatusCode);

        var (author, reviewer) = await CommandersAsync();
        using var _ = author;
        using var __ = reviewer;
        var issued = await ApproveAsync(reviewer, await DraftAsync(author, Content("Feed " + Guid.NewGuid().ToString("N")[..8])));
        var changed = await Conditional("cap/alerts.atom", etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        var messageUrl = $"cap/alerts/{issued["identifier"]}.xml";
        Assert.Contains(messageUrl, await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var message = await anonymous.GetAsync(messageUrl);
        Assert.True(message.Headers.CacheControl!.Public);
        Assert.Equal(HttpStatusCode.NotModified, (await Conditional(messageUrl, message.Headers.ETag!)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("cap/alerts/safecities-unknown.xml")).StatusCode);
    }

    [Fact]
    public async Task Hostile_drafts_get_400_ProblemDetails_naming_the_field_and_write_nothing_and_only_commanders_may_draft()
    {
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var before = await app.CountAsync("SELECT count(*) FROM alerts.public_alert_messages");
        var bowTie = new
        {
            content = new
            {
                @event = "Test", category = "Security", severity = "Severe", urgency = "Immediate", certainty = "Observed", responseType = "Shelter",
                expires = DateTimeOffset.UtcNow.AddHours(1), areaDescription = "Bow tie", headlineEn = "Crossing",
                polygon = new[] { new { latitude = 38.85, longitude = -76.99 }, new { latitude = 38.86, longitude = -76.98 }, new { latitude = 38.85, longitude = -76.98 }, new { latitude = 38.86, longitude = -76.99 } },
            },
        };
        var response = await commander.PostAsJsonAsync("api/v1/public-alerts", bowTie);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Contains("crosses itself", problem["errors"]!.ToJsonString(), StringComparison.Ordinal);

        var absurd = await commander.PostAsJsonAsync("api/v1/public-alerts", new { content = Content("Absurd", expires: new DateTimeOffset(2150, 1, 1, 0, 0, 0, TimeSpan.Zero)) });
        Assert.Equal(HttpStatusCode.BadRequest, absurd.StatusCode);
        Assert.Contains("14 days", await absurd.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var control = await commander.PostAsync("api/v1/public-alerts", new StringContent(
            """{"content":{"headlineEn":"bell\u0007"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM alerts.public_alert_messages"));

        using (var officer = app.Client(await app.CreateClientKeyAsync(Roles.Officer)))
            Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync("api/v1/public-alerts", new { content = Content("Officer") })).StatusCode);
        using var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/public-alerts")).StatusCode);
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM alerts.public_alert_messages"));
    }
}
