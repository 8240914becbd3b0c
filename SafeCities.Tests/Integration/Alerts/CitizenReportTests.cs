using SafeCities.Modules.Shared.Security;
using System.Text.RegularExpressions;
using FluentValidation;
using SafeCities.Modules.Alerts.CitizenReports;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Geo;
using SkiaSharp;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>
/// Citizen reports: a report near an open incident becomes its witness statement, others wait in triage (where staff attach, dismiss or
/// open an incident), reports of one event cluster, Open311 round trips with public fields only, the per-address rate limit, photos lose
/// their metadata, contact views are audited, and old reports are purged.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CitizenReportTests(AppFixture app)
{
    private const string Reports = "SELECT count(*) FROM alerts.citizen_reports";

    private async Task<Guid> OpenIncidentAsync(double lat, double lon)
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, lat, lon);
        using var device = app.Client(key);
        var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 2, DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task A_report_near_an_open_incident_in_place_and_time_becomes_its_witness_statement_on_the_timeline()
    {
        var (lat, lon) = Api.Place();
        var incident = await OpenIncidentAsync(lat, lon);
        var (nearLat, nearLon) = GeoMath.Offset(lat, lon, 320, 80);

        using var client = app.PublicClient();
        var response = await client.PostOpen311Async(CitizenReportKit.Fields("gunfire", nearLat, nearLon, "Heard four shots, saw a grey sedan speed off north",
            ("email", "witness@example.test")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = (await response.ReadJsonAsync()).AsArray().Single()!;
        // The notice does not tell the public that an incident is open here.
        Assert.DoesNotContain("incident", receipt["service_notice"]!.GetValue<string>());
        var id = Guid.Parse(receipt["service_request_id"]!.GetValue<string>());

        Assert.Equal((CitizenReportStatus.Witness, (Guid?)incident), await app.StatusAndIncidentAsync(id));
        using var admin = app.AdminClient();
        var detail = await (await admin.GetAsync($"api/v1/incidents/{incident}")).ReadJsonAsync();
        var entry = Assert.Single(detail["timeline"]!.AsArray(), t => t!["kind"]!.GetValue<string>() == WitnessStatements.TimelineKind)!;
        Assert.Contains("grey sedan", entry["text"]!.GetValue<string>());
        Assert.Matches(@"3[0-9]{2} m away", entry["text"]!.GetValue<string>());
        Assert.DoesNotContain("witness@example.test", detail.ToJsonString());
        var statements = await app.SendAsync(s => s.Send(new ListWitnessStatementsQuery(incident)));
        Assert.Equal(id, Assert.Single(statements).Id);

        // The incident page lists it and pins it on the map (data for witness-statements.js).
        using var commander = await app.SignedInAsync(Users.Commander);
        var page = await commander.GetStringAsync($"Alerts/Incidents/Details/{incident}");
        Assert.Contains($"data-report-id=\"{id}\"", page);
        Assert.Contains("/js/witness-statements", page);
    }

    [Fact]
    public async Task A_report_beyond_the_radius_joins_the_incident_its_cluster_is_attached_to()
    {
        var (lat, lon) = Api.Place();
        var incident = await OpenIncidentAsync(lat, lon);
        var (wLat, wLon) = GeoMath.Offset(lat, lon, 200, 0);
        var witness = await app.SubmitAsync(wLat, wLon);
        var (fLat, fLon) = GeoMath.Offset(wLat, wLon, 1200, 0);   // 1.4 km from the incident, 1.2 km from the witness
        var further = await app.SubmitAsync(fLat, fLon);

        Assert.Equal((CitizenReportStatus.Witness, (Guid?)incident), (witness.Status, witness.IncidentId));
        Assert.Equal(witness.ClusterId, further.ClusterId);
        Assert.Equal((CitizenReportStatus.Witness, (Guid?)incident), (further.Status, further.IncidentId));
    }

    [Fact]
    public async Task A_report_far_from_every_incident_or_long_after_it_waits_in_triage()
    {
        var (lat, lon) = Api.Place();
        await OpenIncidentAsync(lat, lon);
        var (farLat, farLon) = GeoMath.Offset(lat, lon, 900, 10);
        var far = await app.SubmitAsync(farLat, farLon);
        var (nearLat, nearLon) = GeoMath.Offset(lat, lon, 100, 10);
        var late = await app.SubmitAsync(nearLat, nearLon, at: DateTimeOffset.UtcNow.AddHours(-3));

        Assert.Equal((CitizenReportStatus.Triage, (Guid?)null), (far.Status, far.IncidentId));
        Assert.Equal((CitizenReportStatus.Triage, (Guid?)null), (late.Status, late.IncidentId));
        var queue = await app.SendAsync(s => s.Send(new ListTriageQuery(500)));
        Assert.Contains(queue, q => q.Report.Id == far.Id);
        Assert.Contains(queue, q => q.Report.Id == late.Id);
    }

    [Fact]
    public async Task Staff_attach_a_triaged_cluster_dismiss_only_with_a_reason_and_open_an_incident_from_a_report()
    {
        var (lat, lon) = Api.Place();
        var a = await app.SubmitAsync(lat, lon, email: "a@example.test");
        var (bLat, bLon) = GeoMath.Offset(lat, lon, 700, 90);
        var b = await app.SubmitAsync(bLat, bLon);
        Assert.Equal(a.ClusterId, b.ClusterId);
        var (iLat, iLon) = GeoMath.Offset(lat, lon, 5000, 180);
        var incident = await OpenIncidentAsync(iLat, iLon);

        var attached = await app.SendAsync(s => s.Send(new AttachCitizenReportCommand(a.Id, incident, Users.Commander)));
        Assert.Equal(2, attached);
        Assert.Equal((CitizenReportStatus.Witness, (Guid?)incident), await app.StatusAndIncidentAsync(b.Id));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'citizen-report-attach' AND details->>'incidentId' = '{incident}'"));
        await Assert.ThrowsAsync<SafeCities.Modules.Shared.Messaging.DomainRuleException>(() =>
            app.SendAsync(s => s.Send(new AttachCitizenReportCommand(a.Id, incident, Users.Commander))));

        var (cLat, cLon) = Api.Place();
        var c = await app.SubmitAsync(cLat, cLon);
        await Assert.ThrowsAsync<ValidationException>(() => app.SendAsync(s => s.Send(new DismissCitizenReportCommand(c.Id, Users.Commander, "  "))));
        Assert.Equal(CitizenReportStatus.Triage, (await app.StateOfAsync(c.Id)).Status);
        await app.SendAsync(s => s.Send(new DismissCitizenReportCommand(c.Id, Users.Commander, "Prank: the same text from many addresses")));
        Assert.Equal(CitizenReportStatus.Dismissed, (await app.StateOfAsync(c.Id)).Status);

        var (dLat, dLon) = Api.Place();
        var d = await app.SubmitAsync(dLat, dLon);
        var opened = await app.SendAsync(s => s.Send(new OpenIncidentFromCitizenReportCommand(d.Id, Users.Commander)));
        Assert.Equal((CitizenReportStatus.Witness, (Guid?)opened), await app.StatusAndIncidentAsync(d.Id));
        using var admin = app.AdminClient();
        var detail = await (await admin.GetAsync($"api/v1/incidents/{opened}")).ReadJsonAsync();
        Assert.Equal(IncidentKinds.CitizenReport, detail["incident"]!["kind"]!.GetValue<string>());
        Assert.Equal(dLat, detail["incident"]!["latitude"]!.GetValue<double>(), 6);
        Assert.Contains(detail["timeline"]!.AsArray(), t => t!["kind"]!.GetValue<string>() == WitnessStatements.TimelineKind);
    }

    [Fact]
    public async Task Reports_of_one_event_across_a_wide_area_form_one_cluster_and_a_distant_or_later_one_does_not()
    {
        var (lat, lon) = Api.Place();
        var now = DateTimeOffset.UtcNow;
        var first = await app.SubmitAsync(lat, lon, now.AddMinutes(-6));
        var (l2, o2) = GeoMath.Offset(lat, lon, 1300, 90);
        var second = await app.SubmitAsync(l2, o2, now.AddMinutes(-4));
        var (l3, o3) = GeoMath.Offset(l2, o2, 1300, 90);     // 2.6 km from the first: joined through the second
        var third = await app.SubmitAsync(l3, o3, now.AddMinutes(-3));
        var (l4, o4) = GeoMath.Offset(lat, lon, 12_000, 270);
        var distant = await app.SubmitAsync(l4, o4, now.AddMinutes(-5));
        var later = await app.SubmitAsync(lat, lon, now.AddDays(-2));

        Assert.Equal(first.Id, first.ClusterId);
        Assert.Equal(first.ClusterId, second.ClusterId);
        Assert.Equal(first.ClusterId, third.ClusterId);
        Assert.NotEqual(first.ClusterId, distant.ClusterId);
        Assert.NotEqual(first.ClusterId, later.ClusterId);
        var queue = await app.SendAsync(s => s.Send(new ListTriageQuery(500)));
        Assert.Equal(3, queue.Single(q => q.Report.Id == third.Id).Report.ClusterSize);
        Assert.Equal(1, queue.Single(q => q.Report.Id == distant.Id).Report.ClusterSize);
    }

    [Fact]
    public async Task Open311_round_trip_lists_services_takes_a_report_and_gives_it_back_with_public_fields_only()
    {
        using var client = app.PublicClient();
        var services = (await (await client.GetAsync("open311/v2/services.json")).ReadJsonAsync()).AsArray();
        Assert.Equal(CitizenReportCategories.All.Select(c => c.Code), services.Select(s => s!["service_code"]!.GetValue<string>()));
        Assert.All(services, s => Assert.Equal("realtime", s!["type"]!.GetValue<string>()));
        // Every service's definition (GeoReport v2 services/{code}.json): no extra attributes; an unknown code is Open311's 404.
        foreach (var code in services.Select(s => s!["service_code"]!.GetValue<string>()))
        {
            var definition = await (await client.GetAsync($"open311/v2/services/{code}.json")).ReadJsonAsync();
            Assert.Equal(code, definition["service_code"]!.GetValue<string>());
            Assert.Empty(definition["attributes"]!.AsArray());
        }
        var unknown = await client.GetAsync("open311/v2/services/no-such-thing.json");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(404, (await unknown.ReadJsonAsync()).AsArray().Single()!["code"]!.GetValue<int>());

        var (lat, lon) = Api.Place();
        var id = await app.SubmitOpen311Async(lat, lon, "Secret-words: the man in the red hat", "vandalism",
            ("first_name", "Zelda"), ("last_name", "Quartermain"), ("phone", "+1 202 555 0199"), ("email", "zelda@example.test"));

        var one = await client.GetAsync($"open311/v2/requests/{id}.json");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var body = await one.Content.ReadAsStringAsync();
        var request = JsonNode.Parse(body)!.AsArray().Single()!;
        Assert.Equal(id.ToString(), request["service_request_id"]!.GetValue<string>());
        Assert.Equal("vandalism", request["service_code"]!.GetValue<string>());
        Assert.Equal("open", request["status"]!.GetValue<string>());
        Assert.Equal(Math.Round(lat, 3), request["lat"]!.GetValue<double>());
        Assert.Equal(Math.Round(lon, 3), request["long"]!.GetValue<double>());
        var list = await client.GetStringAsync($"open311/v2/requests.json?service_request_id={id},{Guid.NewGuid()}");
        Assert.Equal(id.ToString(), Assert.Single(JsonNode.Parse(list)!.AsArray())!["service_request_id"]!.GetValue<string>());
        var recent = await client.GetStringAsync("open311/v2/requests.json?service_code=vandalism&status=open");
        Assert.Contains(id.ToString(), recent);
        foreach (var text in new[] { body, list, recent })
            foreach (var secret in new[] { "Zelda", "Quartermain", "555 0199", "zelda@example.test", "Secret-words" })
                Assert.DoesNotContain(secret, text);

        var missing = await client.GetAsync($"open311/v2/requests/{Guid.NewGuid()}.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(404, (await missing.ReadJsonAsync())[0]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("no service_code", "", "38.9", "-77.0", "Broken window")]
    [InlineData("unknown service_code", "pothole", "38.9", "-77.0", "Broken window")]
    [InlineData("latitude out of range", "theft", "95", "-77.0", "Broken window")]
    [InlineData("longitude not a number", "theft", "38.9", "NaN", "Broken window")]
    [InlineData("longitude infinite", "theft", "38.9", "1e999", "Broken window")]
    [InlineData("no description", "theft", "38.9", "-77.0", "   ")]
    [InlineData("NUL in the description", "theft", "38.9", "-77.0", "Broken\0window")]
    [InlineData("control character in the description", "theft", "38.9", "-77.0", "Broken\u0007window")]
    public async Task Open311_refuses_bad_input_with_400_in_its_error_format_and_writes_nothing(string why, string code, string lat, string lon, string text)
    {
        var before = await app.CountAsync(Reports);
        using var client = app.PublicClient();
        var response = await client.PostOpen311Async(("service_code", code), ("lat", lat), ("long", lon), ("description", text));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode}");
        var error = (await response.ReadJsonAsync()).AsArray().Single()!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(error["description"]!.GetValue<string>()), why);
        Assert.Equal(before, await app.CountAsync(Reports));

        var json = await client.PostAsJsonAsync("open311/v2/requests.json", new { service_code = "theft" });
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal(400, (await json.ReadJsonAsync())[0]!["code"]!.GetValue<int>());
        var dates = await client.GetAsync("open311/v2/requests.json?start_date=9999-01-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, dates.StatusCode);
        Assert.Equal(400, (await dates.ReadJsonAsync())[0]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task One_address_gets_429_after_its_permits_while_another_address_is_still_served()
    {
        var permits = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CitizenReportsOptions>>().Value.RateLimitPermits;
        using var client = app.PublicClient();
        for (var i = 0; i < permits; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostOpen311Async(("service_code", "nope"))).StatusCode);
        var limited = await client.PostOpen311Async(("service_code", "nope"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal(429, (await limited.ReadJsonAsync())[0]!["code"]!.GetValue<int>());
        // Reading is not limited; another address is not held up by this one.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("open311/v2/services.json")).StatusCode);
        using var other = app.PublicClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await other.PostOpen311Async(("service_code", "nope"))).StatusCode);
    }

    [Fact]
    public async Task The_rate_limit_is_counted_in_PostgreSQL_so_two_nodes_share_the_permits_exactly_under_concurrency()
    {
        var dataSource = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var key = $"test|{Guid.NewGuid():N}";
        var window = TimeSpan.FromMinutes(10);
        // Two limiters for one key, as two nodes of the app would hold them; 25 requests at once, spread over both.
        using var nodeA = new SharedWindowRateLimiter(dataSource, TimeProvider.System, key, 10, window);
        using var nodeB = new SharedWindowRateLimiter(dataSource, TimeProvider.System, key, 10, window);
        Assert.False(nodeA.AttemptAcquire().IsAcquired);   // the synchronous path never grants: the middleware then waits on the shared count
        var leases = await Task.WhenAll(Enumerable.Range(0, 25).Select(i => (i % 2 == 0 ? nodeA : nodeB).AcquireAsync().AsTask()));
        Assert.Equal(10, leases.Count(l => l.IsAcquired));
        var refused = leases.First(l => !l.IsAcquired);
        Assert.True(refused.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retry) && retry > TimeSpan.Zero && retry <= window);
        Assert.Equal(25, await app.CountAsync($"SELECT count FROM platform.rate_limit_windows WHERE key = '{key}'"));
        // Old windows are purged; this one is not.
        await SharedWindowRateLimiter.PurgeAsync(dataSource, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM platform.rate_limit_windows WHERE key = '{key}'"));
        await SharedWindowRateLimiter.PurgeAsync(dataSource, DateTimeOffset.UtcNow.AddDays(2), CancellationToken.None);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM platform.rate_limit_windows WHERE key = '{key}'"));
    }

    [Fact]
    public async Task Photos_lose_their_EXIF_comment_and_text_chunks_and_are_turned_upright()
    {
        const string marker = "GPS-38.8895N-77.0353W-SERIAL-XK2291";
        var jpeg = CitizenReportKit.JpegWithExif(marker);
        var png = CitizenReportKit.PngWithText(marker);
        Assert.True(CitizenReportKit.Contains(jpeg, marker) && CitizenReportKit.Contains(jpeg, "Exif") && CitizenReportKit.Contains(png, marker));
        var (lat, lon) = Api.Place();
        var receipt = await app.SubmitAsync(lat, lon, photos: [new("phone.jpg", "image/jpeg", jpeg), new("screen.png", "image/png", png)]);

        await using var db = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT content_type, bytes FROM alerts.citizen_report_photos WHERE report_id = @id ORDER BY content_type", db);
        cmd.Parameters.AddWithValue("id", receipt.Id);
        var stored = new List<(string Type, byte[] Bytes)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                stored.Add((reader.GetString(0), (byte[])reader[1]));
        Assert.Equal(["image/jpeg", "image/png"], stored.Select(s => s.Type));
        foreach (var (_, bytes) in stored)
        {
            Assert.False(CitizenReportKit.Contains(bytes, marker), "the marker survived");
            Assert.False(CitizenReportKit.Contains(bytes, "Exif"), "an EXIF segment survived");
            Assert.False(CitizenReportKit.Contains(bytes, "tEXt"), "a PNG text chunk survived");
        }
        using var codec = SKCodec.Create(new MemoryStream(stored[0].Bytes));
        Assert.Equal((48, 64), (codec.Info.Width, codec.Info.Height));   // orientation 6 applied: now upright, no orientation tag needed
        Assert.Equal(SKEncodedOrigin.TopLeft, codec.EncodedOrigin);
        using var pngCodec = SKCodec.Create(new MemoryStream(stored[1].Bytes));
        Assert.Equal((64, 48), (pngCodec.Info.Width, pngCodec.Info.Height));

        // Staff see the photo through the audited view only.
        var photoId = (await app.SendAsync(s => s.Send(new ListTriageQuery(500)))).Single(q => q.Report.Id == receipt.Id).Report.PhotoIds[0];   // in upload order
        var audits = $"SELECT count(*) FROM audit.entries WHERE action = 'citizen-report-photo-view' AND details->>'photoId' = '{photoId}'";
        using var commander = await app.SignedInAsync(Users.Commander);
        var photo = await commander.GetAsync($"Alerts/CitizenReports?handler=Photo&id={photoId}");
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType!.MediaType);
        Assert.Equal(stored[0].Bytes, await photo.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, await app.CountAsync(audits));
    }

    [Theory]
    [InlineData("a GIF", "gif")]
    [InlineData("text named .jpg", "text")]
    [InlineData("a truncated JPEG", "truncated")]
    [InlineData("a photo over the size limit", "huge")]
    [InlineData("an empty file", "empty")]
    public async Task A_photo_of_the_wrong_type_broken_or_too_large_is_refused_and_nothing_is_written(string why, string kind)
    {
        var max = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CitizenReportsOptions>>().Value.MaxPhotoBytes;
        byte[] bytes = kind switch
        {
            "gif" => [.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0],
            "text" => "<script>alert(1)</script>"u8.ToArray(),
            "truncated" => CitizenReportKit.Image(SKEncodedImageFormat.Jpeg)[..40],
            "huge" => [0xFF, 0xD8, 0xFF, .. new byte[max]],
            _ => [],
        };
        var before = await app.CountAsync(Reports);
        var (lat, lon) = Api.Place();
        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            app.SubmitAsync(lat, lon, photos: [new ReportPhotoUpload("photo.jpg", "image/jpeg", bytes)]));
        Assert.NotEmpty(refused.Errors);
        Assert.True(before == await app.CountAsync(Reports), why);
    }

    [Fact]
    public async Task Absurd_times_and_places_are_refused()
    {
        var (lat, lon) = Api.Place();
        foreach (var (at, la, lo) in new (DateTimeOffset?, double?, double?)[]
                 {
                     (DateTimeOffset.UtcNow.AddHours(2), lat, lon), (DateTimeOffset.UtcNow.AddYears(-30), lat, lon), (null, lat, lon),
                     (DateTimeOffset.UtcNow, 91, lon), (DateTimeOffset.UtcNow, lat, -181), (DateTimeOffset.UtcNow, double.NaN, lon), (DateTimeOffset.UtcNow, null, lon),
                 })
            await Assert.ThrowsAsync<ValidationException>(() => app.SendAsync(s =>
                s.Send(new SubmitCitizenReportCommand("web", "theft", "Saw it", at, la, lo))));
    }

    [Fact]
    public async Task Every_view_of_a_reporters_contact_is_audited_and_the_staff_list_does_not_carry_it()
    {
        var (lat, lon) = Api.Place();
        var receipt = await app.SubmitAsync(lat, lon, email: "private.reporter@example.test");
        var audits = $"SELECT count(*) FROM audit.entries WHERE action = 'citizen-report-contact-view' AND details->>'reportId' = '{receipt.Id}'";
        var queue = await app.SendAsync(s => s.Send(new ListTriageQuery(500)));
        var item = queue.Single(q => q.Report.Id == receipt.Id);
        Assert.True(item.Report.HasContact);
        Assert.DoesNotContain("private.reporter", System.Text.Json.JsonSerializer.Serialize(item));

        var contact = await app.SendAsync(s => s.Send(new ViewReporterContactCommand(receipt.Id, Users.Commander, "call back")));
        Assert.Equal("private.reporter@example.test", contact!.Email);
        Assert.Equal(1, await app.CountAsync(audits));

        using var commander = await app.SignedInAsync(Users.Commander);
        var page = await commander.GetStringAsync("Alerts/CitizenReports");
        Assert.DoesNotContain("private.reporter", page);
        var shown = await commander.PostAsync($"Alerts/CitizenReports?handler=Contact&id={receipt.Id}",
            new FormUrlEncodedContent([new("__RequestVerificationToken", Token(page))]));
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("private.reporter@example.test", await shown.Content.ReadAsStringAsync());
        Assert.Equal(2, await app.CountAsync(audits));
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM audit.entries WHERE action = 'citizen-report-contact-view' AND details->>'reportId' = '{receipt.Id}' AND actor = '{Users.Commander}'"
            + " AND purpose = 'triage'"));
    }

    [Fact]
    public async Task The_retention_job_deletes_reports_and_photos_older_than_the_retention_and_keeps_the_rest()
    {
        var (lat, lon) = Api.Place();
        var photo = new ReportPhotoUpload("a.png", "image/png", CitizenReportKit.Image(SKEncodedImageFormat.Png));
        var old = await app.SubmitAsync(lat, lon, photos: [photo]);
        var fresh = await app.SubmitAsync(lat, lon, photos: [photo]);
        var days = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CitizenReportsOptions>>().Value.RetentionDays;
        await app.ExecuteAsync($"UPDATE alerts.citizen_reports SET received_at = now() - interval '{days + 1} days' WHERE id = '{old.Id}'");

        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<PurgeCitizenReportsJob>().RunAsync(CancellationToken.None);
            return 0;
        });
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.citizen_reports WHERE id = '{old.Id}'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.citizen_report_photos WHERE report_id = '{old.Id}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.citizen_reports WHERE id = '{fresh.Id}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.citizen_report_photos WHERE report_id = '{fresh.Id}'"));
        Assert.Contains(app.Services.GetServices<SafeCities.Modules.Shared.Jobs.RecurringJobDefinition>(), j => j.Id == "alerts:purge-citizen-reports");
    }

    [Fact]
    public async Task The_report_page_takes_a_report_with_antiforgery_and_the_right_answer_and_refuses_otherwise_writing_nothing()
    {
        using var client = app.PublicClient();
        var (lat, lon) = Api.Place();
        var before = await app.CountAsync(Reports);

        // A wrong answer: 400, the form again with a new question, nothing written.
        var page = await client.GetStringAsync("report");
        var wrong = await client.PostAsync("report", Form(page, lat, lon, answer: (Answer(page) + 1).ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var again = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("not right", again);
        // Without the antiforgery token: refused.
        var forged = await client.PostAsync("report", Form(again, lat, lon, antiforgery: false));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        // A NUL in a field: refused at the edge.
        var nul = await client.PostAsync("report", Form(again, lat, lon, description: "Saw\0it"));
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        // A future time: a form error.
        page = await client.GetStringAsync("report");
        var future = await client.PostAsync("report", Form(page, lat, lon, when: DateTime.UtcNow.AddDays(2)));
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        var futureBody = await future.Content.ReadAsStringAsync();
        Assert.Contains("The time lies in the future.", futureBody);
        Assert.Equal(before, await app.CountAsync(Reports));

        page = await client.GetStringAsync("report");
        var form = Form(page, lat, lon);
        form.Add(new ByteArrayContent(CitizenReportKit.JpegWithExif("SERIAL-PAGE-123")) { Headers = { ContentType = new("image/jpeg") } }, "Input.Photos", "p.jpg");
        var ok = await client.PostAsync("report", form);
        var body = await ok.Content.ReadAsStringAsync();
        Assert.True(ok.StatusCode == HttpStatusCode.OK, body);
        var reference = Guid.Parse(Regex.Match(body, "id=\"report-reference\">([0-9a-f-]{36})<").Groups[1].Value);
        Assert.Equal(CitizenReportStatus.Triage, (await app.StateOfAsync(reference)).Status);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.citizen_report_photos WHERE report_id = '{reference}'"));

        // The answered question cannot be used again.
        var replay = await client.PostAsync("report", Form(page, lat, lon));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
    }

    private static int Answer(string page)
    {
        var m = Regex.Match(page, @"What is (\d+) (?:\+|&#x2B;) (\d+)\?");
        Assert.True(m.Success, "no question on the page");
        return int.Parse(m.Groups[1].Value) + int.Parse(m.Groups[2].Value);
    }

    private static string Token(string page) => Browserless.AntiforgeryToken(page);

    private static string ChallengeToken(string page)
    {
        var input = Regex.Match(page, "<input[^>]*name=\"Input.ChallengeToken\"[^>]*>").Value;
        var token = Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "no challenge token on the page");
        return token;
    }

    private static MultipartFormDataContent Form(string page, double lat, double lon, string? answer = null, bool antiforgery = true,
        string description = "A man broke a car window and ran", DateTime? when = null)
    {
        var local = when ?? DateTime.UtcNow.AddMinutes(-10);
        var content = new MultipartFormDataContent
        {
            { new StringContent("theft"), "Input.Category" },
            { new StringContent(description), "Input.Description" },
            { new StringContent(TimeZoneInfo.ConvertTimeFromUtc(local, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).ToString("yyyy-MM-ddTHH:mm")), "Input.OccurredAt" },
            { new StringContent(lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), "Input.Latitude" },
            { new StringContent(lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), "Input.Longitude" },
            { new StringContent(answer ?? Answer(page).ToString()), "Input.ChallengeAnswer" },
            { new StringContent(ChallengeToken(page)), "Input.ChallengeToken" },
        };
        if (antiforgery)
            content.Add(new StringContent(Token(page)), "__RequestVerificationToken");
        return content;
    }
}
