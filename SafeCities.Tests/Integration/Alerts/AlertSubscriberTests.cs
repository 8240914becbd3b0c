using System.Text.RegularExpressions;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Subscribers;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>Public-alert subscribers (ADR 0040) through the real app and PostgreSQL: who an alert reaches, exactly once across a crashed sender,
/// double opt-in, real SMTP with the unsubscribe link, failures for administrators, retention, and the sign-up page's guards.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AlertSubscriberTests(AppFixture app)
{
    private const string Simulated = "alerts.alert_simulated_deliveries";

    [Fact]
    public async Task An_alert_polygon_reaching_into_a_subscribers_circle_counts_and_one_just_outside_does_not()
    {
        var (lat, lon) = Api.Place();
        // Circles of 500 m around the same point; the alert squares lie east of it, their west edge 480 m or 520 m away (the centre is outside both).
        var circle = await app.SmsSubscriberAsync(areas: SubscriberKit.Circle(lat, lon, 500));
        var unconfirmed = await app.SmsSubscriberAsync(confirm: false, areas: SubscriberKit.Circle(lat, lon, 500));
        // A drawn area whose east edge is 490 m west of the point, and one with two areas that both meet the alert: one delivery each.
        var (_, westEdge) = SubscriberKit.At(lat, lon, 490, 270);
        var (_, farWest) = SubscriberKit.At(lat, lon, 3000, 270);
        var (north, _) = SubscriberKit.At(lat, lon, 500, 0);
        var (south, _) = SubscriberKit.At(lat, lon, 500, 180);
        var drawn = await app.SmsSubscriberAsync(areas: SubscriberKit.Polygon((south, farWest), (south, westEdge), (north, westEdge), (north, farWest)));
        var twoAreas = await app.SmsSubscriberAsync(areas: [SubscriberKit.Circle(lat, lon, 600), SubscriberKit.Circle(lat, lon, 700)]);
        var (farLat, farLon) = SubscriberKit.At(lat, lon, 5000, 0);
        var far = await app.SmsSubscriberAsync(areas: SubscriberKit.Circle(farLat, farLon, 1000));

        var crossing = await app.IssueAlertAsync(polygon: SubscriberKit.SquareEastOf(lat, lon, 480));
        var outside = await app.IssueAlertAsync(polygon: SubscriberKit.SquareEastOf(lat, lon, 520));
        // An alert circle of 500 m centred 990 m west: it reaches 10 m into the drawn area (its 40-gon, as stored, still does) and into the circles.
        var (cLat, cLon) = SubscriberKit.At(lat, lon, 990, 270);
        var circleAlert = await app.IssueAlertAsync(circle: (cLat, cLon, 500));

        async Task<HashSet<Guid>> Reached(Guid message)
        {
            await using var db = new Npgsql.NpgsqlConnection(app.ConnectionString);
            await db.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"SELECT subscriber_id FROM alerts.alert_deliveries WHERE message_id = '{message}'", db);
            await using var reader = await command.ExecuteReaderAsync();
            var ids = new HashSet<Guid>();
            while (await reader.ReadAsync())
                ids.Add(reader.GetGuid(0));
            return ids;
        }

        Same([circle, twoAreas], await Reached(crossing));
        Same([twoAreas], await Reached(outside)); // its 600 m and 700 m circles reach past 520 m
        Same([circle, drawn, twoAreas], await Reached(circleAlert));
        // Neither the unconfirmed sign-up (same circle) nor the far one was reached by any.
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.alert_deliveries WHERE subscriber_id IN ('{unconfirmed}', '{far}')"));
        Assert.Equal(2, await app.DeliveriesAsync(crossing));
    }

    [Fact]
    public async Task An_update_that_moves_the_area_reaches_the_new_area_and_everyone_the_first_message_reached()
    {
        var (lat, lon) = Api.Place();
        var here = await app.SmsSubscriberAsync(areas: SubscriberKit.Circle(lat, lon, 300));
        var (northLat, northLon) = SubscriberKit.At(lat, lon, 8000, 0);
        var there = await app.SmsSubscriberAsync(areas: SubscriberKit.Circle(northLat, northLon, 300));
        var (eastLat, eastLon) = SubscriberKit.At(lat, lon, 8000, 90);
        var neither = await app.SmsSubscriberAsync(areas: SubscriberKit.Circle(eastLat, eastLon, 300));

        var first = await app.IssueAlertAsync(polygon: SubscriberKit.SquareEastOf(lat, lon, -1000));   // covers the first point only
        var moved = await app.UpdateAlertAsync(first, SubscriberKit.SquareEastOf(northLat, northLon, -1000));

        async Task<long> Got(Guid message, Guid subscriber) =>
            await app.CountAsync($"SELECT count(*) FROM alerts.alert_deliveries WHERE message_id = '{message}' AND subscriber_id = '{subscriber}'");
        Assert.Equal((1, 0, 0), (await Got(first, here), await Got(first, there), await Got(first, neither)));
        // The update: the new area's subscriber, and the one the first message reached although the area left them; not the third.
        Assert.Equal((1, 1, 0), (await Got(moved, here), await Got(moved, there), await Got(moved, neither)));
    }

    [Fact]
    public async Task Each_subscriber_gets_each_message_exactly_once_when_a_sender_dies_after_claiming_and_another_takes_over()
    {
        var (lat, lon) = Api.Place();
        var subscribers = new List<Guid>();
        for (var i = 0; i < 30; i++)
            subscribers.Add(await app.SmsSubscriberAsync(language: i % 2 == 0 ? "en" : "es", areas: SubscriberKit.Circle(lat, lon, 400 + i)));
        await app.DeliverAllAsync(); // what earlier tests left due, so that the claims below take this alert's rows only
        var message = await app.IssueAlertAsync(circle: (lat, lon, 300));
        Assert.Equal(30, await app.DeliveriesAsync(message, DeliveryStates.Pending));
        // Issuing again adds nothing: the key (message, subscriber) holds.
        Assert.Equal(0, await app.InScopeAsync(sp => SubscriberFanOut.EnqueueAsync(sp.GetRequiredService<SafeCities.Modules.Alerts.Data.AlertsDbContext>(),
            message, DateTimeOffset.UtcNow, CancellationToken.None)));

        // Sender A claims 10 and dies before sending anything.
        var crashed = await app.InScopeAsync(sp => sp.GetRequiredService<SubscriberDeliverySender>().ClaimAsync(10, TimeSpan.FromMinutes(2), CancellationToken.None));
        Assert.Equal(10, crashed.Count(c => c.MessageId == message));
        // Two senders run at once: they share the other 20 without overlap and leave A's 10 alone while its claim holds.
        var together = await Task.WhenAll(app.DeliverAllAsync(), app.DeliverAllAsync());
        Assert.Equal(20, await app.DeliveriesAsync(message, DeliveryStates.Sent));
        Assert.Equal(20, await app.CountAsync($"SELECT count(*) FROM {Simulated} WHERE message_id = '{message}' AND sends = 1"));
        Assert.True(together.Sum() >= 20);

        // The restart: A's claim runs out (its time moved back), a new sender takes the 10 and sends each once; the 20 sent are not sent again.
        await app.ExecuteAsync($"UPDATE alerts.alert_deliveries SET next_attempt_at = now() - interval '1 second' WHERE message_id = '{message}' AND state = 'pending'");
        await app.DeliverAllAsync();
        Assert.Equal(30, await app.DeliveriesAsync(message, DeliveryStates.Sent));
        Assert.Equal(30, await app.CountAsync($"SELECT count(*) FROM {Simulated} WHERE message_id = '{message}' AND sends = 1 AND subscriber_id = ANY(ARRAY['{string.Join("','", subscribers)}']::uuid[])"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM {Simulated} WHERE message_id = '{message}' AND sends <> 1"));
        Assert.Equal(0, await app.DeliverAllAsync());
        // In the subscriber's language, with their unsubscribe link.
        var spanish = await app.ScalarTextAsync($"SELECT text FROM {Simulated} WHERE message_id = '{message}' AND subscriber_id = '{subscribers[1]}'");
        Assert.StartsWith("Sospechoso armado en la zona", spanish);
        SubscriberKit.UnsubscribeToken(spanish);

        // A Cancel reaches the same subscribers, once each.
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var cancel = await commander.PostAsJsonAsync($"api/v1/public-alerts/{message}/cancel", new { reason = "Suspect in custody" });
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        var cancelId = Guid.Parse((await cancel.ReadJsonAsync())["id"]!.ToString());
        await app.DeliverAllAsync();
        Assert.Equal(30, await app.CountAsync($"SELECT count(*) FROM {Simulated} WHERE message_id = '{cancelId}' AND sends = 1"));
    }

    [Fact]
    public async Task The_delivery_worker_sends_on_its_own_when_woken_by_an_issue()
    {
        var (lat, lon) = Api.Place();
        var subscriber = await app.SmsSubscriberAsync(areas: SubscriberKit.Circle(lat, lon, 300));
        var worker = ActivatorUtilities.CreateInstance<SubscriberDeliveryWorker>(app.Services,
            Microsoft.Extensions.Options.Options.Create(new SubscribersOptions { SenderEnabled = true, PollSeconds = 30 }));
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(200);
            var message = await app.IssueAlertAsync(circle: (lat, lon, 300));
            // Woken by the approval, not by its 30 s poll.
            for (var i = 0; i < 100 && await app.DeliveriesAsync(message, DeliveryStates.Sent) == 0; i++)
                await Task.Delay(100);
            Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM {Simulated} WHERE message_id = '{message}' AND subscriber_id = '{subscriber}' AND sends = 1"));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Email_over_real_SMTP_double_opt_in_then_the_alert_with_its_unsubscribe_link_which_deletes_the_subscription()
    {
        await using var smtp = new SmtpListener(app.SmtpPort);
        using var client = app.PublicClient();
        var (lat, lon) = Api.Place();
        var address = $"resident-{Guid.NewGuid():N}@example.org";

        var page = await client.GetStringAsync("alerts/subscribe");
        var posted = await client.PostAsync("alerts/subscribe", Form(page, address, lat, lon));
        Assert.True(posted.StatusCode == HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        Assert.Contains("subscribe-requested", await posted.Content.ReadAsStringAsync());
        var confirmation = await smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == address));
        var confirmPath = $"alerts/confirm/{SubscriberKit.ConfirmToken(confirmation.TextBody ?? "")}";

        // Unconfirmed: an alert over the area reaches nobody.
        var before = await app.IssueAlertAsync(circle: (lat, lon, 400), headline: "Before confirmation");
        Assert.Equal(0, await app.DeliveriesAsync(before));

        // GET only shows the button; the POST confirms.
        var get = await client.GetStringAsync(confirmPath);
        Assert.Contains("confirm-button", get);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.alert_subscribers WHERE address = '{address}' AND confirmed_at IS NOT NULL"));
        var confirmed = await client.PostAsync(confirmPath, new FormUrlEncodedContent([new("__RequestVerificationToken", Browserless.AntiforgeryToken(get))]));
        Assert.Contains("confirm-done", await confirmed.Content.ReadAsStringAsync());

        var message = await app.IssueAlertAsync(circle: (lat, lon, 400), headline: "Armed suspect near Main St");
        await app.DeliverAllAsync();
        var alert = await smtp.WaitForAsync(m => (m.Subject ?? "").Contains("Armed suspect near Main St", StringComparison.Ordinal));
        Assert.Equal(address, alert.To.Mailboxes.Single().Address);
        Assert.Contains("Stay indoors.", (alert.TextBody ?? ""));
        var unsubscribe = SubscriberKit.UnsubscribeToken((alert.TextBody ?? ""));
        Assert.Contains($"/alerts/unsubscribe/{unsubscribe}", alert.Headers["List-Unsubscribe"]);
        Assert.Equal(1, await app.DeliveriesAsync(message, DeliveryStates.Sent));
        // Only hashes of the tokens are stored.
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.alert_subscribers WHERE unsubscribe_token_sealed LIKE '%{unsubscribe}%'"));

        var unsubscribePage = await client.GetStringAsync($"alerts/unsubscribe/{unsubscribe}");
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.alert_subscribers WHERE address = '{address}'"));
        var done = await client.PostAsync($"alerts/unsubscribe/{unsubscribe}",
            new FormUrlEncodedContent([new("__RequestVerificationToken", Browserless.AntiforgeryToken(unsubscribePage))]));
        Assert.Contains("unsubscribe-done", await done.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.alert_subscribers WHERE address = '{address}'"));
        Assert.Equal(0, await app.DeliveriesAsync(message));
    }

    [Fact]
    public async Task A_failing_channel_is_retried_with_back_off_then_listed_as_failed_for_administrators_and_sent_again_on_request()
    {
        var (lat, lon) = Api.Place();
        var address = $"failing-{Guid.NewGuid():N}@example.org";
        Guid subscriber;
        await using (var smtp = new SmtpListener(app.SmtpPort))
        {
            subscriber = (await app.SendAsync(s => s.Send(new SubscribeToAlertsCommand("email", address, "en", [SubscriberKit.Circle(lat, lon, 300)], app.BaseAddress.ToString())))).Id;
            var mail = await smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == address));
            Assert.True(await app.SendAsync(s => s.Send(new ConfirmAlertSubscriptionCommand(SubscriberKit.ConfirmToken(mail.TextBody ?? "")))));
        }
        // The mail server is gone.
        var message = await app.IssueAlertAsync(circle: (lat, lon, 300));
        await app.DeliverAllAsync();
        var row = $"SELECT {{0}} FROM alerts.alert_deliveries WHERE message_id = '{message}' AND subscriber_id = '{subscriber}'";
        Assert.Equal(1, await app.CountAsync(string.Format(row, "attempts") + " AND state = 'pending' AND last_error LIKE 'SMTP%' AND next_attempt_at > now()"));

        var max = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SubscribersOptions>>().Value.MaxAttempts;
        await app.ExecuteAsync($"UPDATE alerts.alert_deliveries SET attempts = {max - 1}, next_attempt_at = now() WHERE message_id = '{message}'");
        await app.DeliverAllAsync();
        Assert.Equal(max, await app.CountAsync(string.Format(row, "attempts") + " AND state = 'failed'"));

        using var admin = await app.SignedInAsync(Users.Admin);
        var page = await admin.GetStringAsync("Admin/AlertSubscribers");
        Assert.Contains($"data-subscriber-id=\"{subscriber}\"", page);
        Assert.Matches(new Regex("data-channel=\"email\" data-state=\"failed\">.*?<td class=\"text-end\">[1-9]", RegexOptions.Singleline), page);

        await using (var smtp = new SmtpListener(app.SmtpPort))
        {
            var retried = await admin.PostAsync("Admin/AlertSubscribers?handler=Retry",
                new FormUrlEncodedContent([new("__RequestVerificationToken", Browserless.AntiforgeryToken(page))]));
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            await app.DeliverAllAsync();
            await smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == address) && (m.Subject ?? "").StartsWith("Alert:", StringComparison.Ordinal));
            Assert.Equal(1, await app.DeliveriesAsync(message, DeliveryStates.Sent));
        }
        // Anonymous and non-admin people cannot see the page.
        using var officer = await app.SignedInAsync(Users.Officer);
        Assert.NotEqual(HttpStatusCode.OK, (await officer.GetAsync("Admin/AlertSubscribers")).StatusCode);
    }

    [Fact]
    public async Task Retention_deletes_unconfirmed_sign_ups_and_old_delivery_records_but_keeps_confirmed_subscribers_and_pending_deliveries()
    {
        var (lat, lon) = Api.Place();
        var old = await app.SmsSubscriberAsync(confirm: false, areas: SubscriberKit.Circle(lat, lon, 300));
        var fresh = await app.SmsSubscriberAsync(confirm: false, areas: SubscriberKit.Circle(lat, lon, 300));
        var confirmed = await app.SmsSubscriberAsync(areas: SubscriberKit.Circle(lat, lon, 300));
        var sent = await app.IssueAlertAsync(circle: (lat, lon, 300));
        await app.DeliverAllAsync();
        var pending = await app.IssueAlertAsync(circle: (lat, lon, 300));
        var o = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SubscribersOptions>>().Value;
        await app.ExecuteAsync($"UPDATE alerts.alert_subscribers SET created_at = now() - interval '{o.UnconfirmedRetentionHours + 1} hours' WHERE id IN ('{old}', '{confirmed}')");
        await app.ExecuteAsync($"UPDATE alerts.alert_deliveries SET created_at = now() - interval '{o.DeliveryRetentionDays + 1} days' WHERE subscriber_id = '{confirmed}'");
        await app.ExecuteAsync($"UPDATE {Simulated} SET first_at = now() - interval '{o.DeliveryRetentionDays + 1} days' WHERE subscriber_id = '{confirmed}' AND message_id = '{sent}'");

        await app.InScopeAsync(sp => sp.GetRequiredService<PurgeAlertSubscribersJob>().PurgeAsync(CancellationToken.None));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.alert_subscribers WHERE id = '{old}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.alert_subscribers WHERE id IN ('{fresh}', '{confirmed}') AND id = '{fresh}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.alert_subscribers WHERE id = '{confirmed}'"));
        Assert.Equal(0, await app.DeliveriesAsync(sent));
        Assert.Equal(1, await app.DeliveriesAsync(pending, DeliveryStates.Pending));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM {Simulated} WHERE message_id = '{sent}'"));
        Assert.Contains(app.Services.GetServices<SafeCities.Modules.Shared.Jobs.RecurringJobDefinition>(), j => j.Id == "alerts:purge-alert-subscribers");
    }

    [Fact]
    public async Task The_sign_up_page_refuses_a_wrong_answer_no_antiforgery_a_bad_address_and_a_bad_area_writing_nothing()
    {
        await using var smtp = new SmtpListener(app.SmtpPort);
        using var client = app.PublicClient();
        var (lat, lon) = Api.Place();
        const string Subscribers = "SELECT count(*) FROM alerts.alert_subscribers";
        var before = await app.CountAsync(Subscribers);

        var page = await client.GetStringAsync("alerts/subscribe");
        var wrong = await client.PostAsync("alerts/subscribe", Form(page, "a@example.org", lat, lon, answer: "999"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        page = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("not right", page);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("alerts/subscribe", Form(page, "a@example.org", lat, lon, antiforgery: false))).StatusCode);
        foreach (var (addressValue, la, channel) in new[] { ("not-an-address", lat, "email"), ("a@example.org", 123.0, "email"), ("12345", lat, "sms"), ("a@example.org", lat, "fax") })
        {
            var bad = await client.PostAsync("alerts/subscribe", Form(page, addressValue, la, lon, channel: channel));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            page = await bad.Content.ReadAsStringAsync();
        }
        // A polygon that crosses itself.
        var bow = Form(page, "a@example.org", lat, lon, polygon: $"{lat},{lon} {lat + 0.01},{lon + 0.01} {lat},{lon + 0.01} {lat + 0.01},{lon}");
        var crossing = await client.PostAsync("alerts/subscribe", bow);
        Assert.Equal(HttpStatusCode.BadRequest, crossing.StatusCode);
        page = await crossing.Content.ReadAsStringAsync();   // a new question: each is answered once
        Assert.Contains("crosses itself", page);
        // Places kept before the one being marked: one that is not numbers, and six places where five are allowed.
        foreach (var (more, reason) in new[]
                 {
                     ("12,abc,500", "Mark the area"),
                     (string.Join(';', Enumerable.Repeat(FormattableString.Invariant($"{lat},{lon},300"), 5)), "one to 5 areas"),
                 })
        {
            var refused = await client.PostAsync("alerts/subscribe", Form(page, "a@example.org", lat, lon, moreAreas: more));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            page = await refused.Content.ReadAsStringAsync();
            Assert.Contains(reason, page);
        }
        Assert.Equal(before, await app.CountAsync(Subscribers));
        // A confirmation or unsubscribe link that is not ours changes nothing.
        var fake = await client.GetStringAsync("alerts/confirm/" + new string('A', 43));
        var posted = await client.PostAsync("alerts/confirm/" + new string('A', 43), new FormUrlEncodedContent([new("__RequestVerificationToken", Browserless.AntiforgeryToken(fake))]));
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Empty(smtp.Messages);
    }

    private static void Same(Guid[] expected, HashSet<Guid> actual) =>
        Assert.True(actual.SetEquals(expected), $"expected {string.Join(", ", expected)} but reached {string.Join(", ", actual)}");

    private static FormUrlEncodedContent Form(string page, string address, double lat, double lon, string? answer = null, bool antiforgery = true,
        string channel = "email", string? polygon = null, string? moreAreas = null)
    {
        var m = Regex.Match(page, @"What is (\d+) (?:\+|&#x2B;) (\d+)\?");
        Assert.True(m.Success, "no question on the page");
        var token = Regex.Match(Regex.Match(page, "<input[^>]*name=\"Input.ChallengeToken\"[^>]*>").Value, "value=\"([^\"]+)\"").Groups[1].Value;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Input.Channel", channel), new("Input.Address", address), new("Input.Language", "en"),
            new("Input.AreaKind", polygon is null ? "point" : "polygon"),
            new("Input.Latitude", lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            new("Input.Longitude", lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            new("Input.RadiusMeters", "500"), new("Input.PolygonPoints", polygon ?? ""), new("Input.MoreAreas", moreAreas ?? ""),
            new("Input.ChallengeAnswer", answer ?? (int.Parse(m.Groups[1].Value) + int.Parse(m.Groups[2].Value)).ToString()),
            new("Input.ChallengeToken", token),
        };
        if (antiforgery)
            fields.Add(new("__RequestVerificationToken", Browserless.AntiforgeryToken(page)));
        return new FormUrlEncodedContent(fields);
    }
}
