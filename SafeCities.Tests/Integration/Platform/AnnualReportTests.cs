using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Caching.Memory;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Platform.Reports;
using SafeCities.Modules.Shared.Time;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// The annual surveillance report (ADR 0045): seeded devices in districts, reads, detections, searches, outcomes and a purge, then every
/// figure the public API reports is checked against a SQL count of the database itself.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AnnualReportTests(AppFixture app)
{
    private string Zone => CityZone.Id(app.Services.GetRequiredService<IConfiguration>());

    private async Task<JsonNode> ReportAsync(int year)
    {
        app.Services.GetRequiredService<IMemoryCache>().Remove(GetAnnualReportQueryHandler.CacheKey(year, Zone));
        using var anonymous = app.Client();
        var response = await anonymous.GetAsync($"api/v1/transparency/reports/{year}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static JsonNode Technology(JsonNode report, string key) => report["technologies"]!.AsArray().Single(t => t!["technology"]!.GetValue<string>() == key)!;

    [Fact]
    public async Task Every_figure_of_the_report_equals_a_sql_count_of_the_database()
    {
        // Two districts of our own, far from everything else; devices in each and one outside both.
        var (lat, lon) = Api.Place();
        var (a, b) = ((lat, lon), (lat, lon + 0.2));
        await app.ImportDistrictsAsync(DistrictKit.Square("R1", "Report North", a, 0.05), DistrictKit.Square("R2", "Report South", b, 0.05));
        var (readerA, keyA) = await app.RegisterReaderAsync(a.lat, a.lon);
        await app.RegisterReaderAsync(a.lat + 0.01, a.lon);
        await app.RegisterReaderAsync(b.Item1, b.Item2);
        await app.RegisterReaderAsync(lat + 1, lon);   // outside every district
        await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, b.Item1, b.Item2);

        // Reads now, a gunshot (an incident closed with evidence), searches in the audit log.
        var now = DateTimeOffset.UtcNow;
        Assert.Equal((3, 0), await app.SendReadsAsync(keyA, PlatesKit.Read("rep-1", "REP1AB", now.AddMinutes(-3)), PlatesKit.Read("rep-2", "REP2AB", now.AddMinutes(-2)),
            PlatesKit.Read("rep-3", "REP3AB", now.AddMinutes(-1))));
        var (_, feedKey) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, a.lat, a.lon);
        using (var feed = app.Client(feedKey))
        {
            var posted = await feed.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(lat: a.lat, lon: a.lon, at: now.AddSeconds(-5)));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            var incident = (await posted.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
            using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
            Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{incident}/close", new { outcome = "gunfire-found" })).StatusCode);
        }
        // Each states a case and an offence as the look-ups audit them (ADR 0047); one plate search ran without a case, under a commander's approval.
        await app.ExecuteAsync($$"""
            INSERT INTO audit.entries (at, actor, module, action, purpose, details) SELECT now(), 'analyst', 'Plates', 'search', 'red van seen by the witness',
                '{"caseNumber": "2026-900001", "offence": "burglary"}'::jsonb FROM generate_series(1, 3);
            INSERT INTO audit.entries (at, actor, module, action, purpose, details) VALUES (now(), 'analyst', 'Plates', 'search', 'caller saw the van, no case yet',
                '{"caseNumber": null, "offence": "robbery", "approvalId": "{{Guid.NewGuid()}}"}'::jsonb);
            INSERT INTO audit.entries (at, actor, module, action, purpose, details) SELECT now(), 'analyst', 'Intelligence', 'search', 'grey car at the depot',
                '{"caseNumber": "2026-900002", "offence": "robbery"}'::jsonb FROM generate_series(1, 2);
            """);

        // Another agency's reads, as the sharing log records them (ADR 0041).
        var (agency, _) = await app.RegisterAgencyAsync("police");
        await app.ExecuteAsync($"""
            INSERT INTO intelligence.agency_reads (at, agency_id, data_class, items, action, actor)
            SELECT now(), '{agency}', 'plates', 3, 'search', 'partner@example.org' FROM generate_series(1, 2)
            """);

        // A purge: 4 reads of a day past retention, deleted by the retention job, which records it in the audit chain.
        var oldDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-52);   // a day no other test purges
        await app.InScopeAsync(sp => sp.GetRequiredService<PlateReadPartitions>().EnsureAsync([oldDay], default));
        var oldReader = Guid.NewGuid();
        await app.ExecuteAsync($"""
            INSERT INTO plates.plate_reads (id, reader_id, read_id, plate, region, captured_at, received_at, confidence, latitude, longitude)
            SELECT gen_random_uuid(), '{oldReader}', 'old-' || i, 'OLD' || i || 'XYZ', 'DC', '{oldDay:yyyy-MM-dd} 12:00:00+00'::timestamptz + i * interval '1 minute', now(), 0.9, 38.9, -77.0
            FROM generate_series(1, 4) i
            """);
        var purged = await app.InScopeAsync(sp => sp.GetRequiredService<PlateReadRetentionJob>().PurgeAsync(default));
        Assert.Contains(purged, p => p.Day == oldDay && p.Deleted >= 4);

        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var year = TimeZoneInfo.ConvertTime(now, zone).Year;
        var report = await ReportAsync(year);

        // The year is the city's calendar year.
        var jan1 = new DateTime(year, 1, 1);
        var from = new DateTimeOffset(jan1, zone.GetUtcOffset(jan1));
        var next = new DateTime(year + 1, 1, 1);
        var to = new DateTimeOffset(next, zone.GetUtcOffset(next));
        Assert.Equal(from, report["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(to, report["to"]!.GetValue<DateTimeOffset>());
        var (f, t) = ($"'{from:O}'::timestamptz", $"'{to:O}'::timestamptz");

        // Devices by district: the registry located in the current districts.
        var plates = Technology(report, "plate-readers");
        long Devices(JsonNode tech, string? code) =>
            tech["devicesByDistrict"]!.AsArray().SingleOrDefault(d => d!["districtCode"]?.GetValue<string>() == code)?["devices"]!.GetValue<long>() ?? 0;
        const string InDistrict = "ST_Contains(d.boundary, ST_SetSRID(ST_MakePoint(x.longitude, x.latitude), 4326))";
        foreach (var code in new[] { "R1", "R2" })
            Assert.Equal(await app.CountAsync($"SELECT count(*) FROM plates.readers x JOIN platform.districts d ON {InDistrict} WHERE d.code = '{code}'"),
                Devices(plates, code));
        Assert.Equal(2, Devices(plates, "R1"));
        Assert.Equal(1, Devices(plates, "R2"));
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM plates.readers x WHERE NOT EXISTS (SELECT 1 FROM platform.districts d WHERE {InDistrict})"),
            Devices(plates, null));
        Assert.Equal(await app.CountAsync("SELECT count(*) FROM plates.readers"), plates["devices"]!.GetValue<long>());
        var environmental = Technology(report, "environmental");
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM sensors.devices x JOIN platform.districts d ON {InDistrict} WHERE d.code = 'R2' AND x.kind = 'environmental-sensor'"),
            Devices(environmental, "R2"));
        Assert.True(Devices(environmental, "R2") >= 1);
        var acoustic = Technology(report, "acoustic");
        Assert.Equal(await app.CountAsync("SELECT count(*) FROM sensors.devices WHERE kind IN ('acoustic-sensor', 'gunshot-feed')"), acoustic["devices"]!.GetValue<long>());
        Assert.Equal(await app.CountAsync("SELECT count(*) FROM video.cameras"), Technology(report, "cameras")["devices"]!.GetValue<long>());

        // Data collected in the year.
        long Rows(JsonNode tech, string dataClass) => tech["collected"]!.AsArray().Single(c => c!["dataClass"]!.GetValue<string>() == dataClass)!["rows"]!.GetValue<long>();
        var reads = await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE captured_at >= {f} AND captured_at < {t}");
        Assert.Equal(reads, Rows(plates, "Plate reads (still stored)"));
        Assert.True(reads >= 3);
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM plates.hotlist_hits WHERE captured_at >= {f} AND captured_at < {t}"), Rows(plates, "Hotlist hits (still stored)"));
        var detections = await app.CountAsync($"SELECT count(*) FROM sensors.detections WHERE occurred_at >= {f} AND occurred_at < {t}");
        Assert.Equal(detections, Rows(acoustic, "Gunshot detections"));
        Assert.True(detections >= 1);
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM sensors.readings WHERE at >= {f} AND at < {t}"), Rows(environmental, "Environmental readings"));
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM video.evidence_clips WHERE recorded_from >= {f} AND recorded_from < {t}"),
            Rows(Technology(report, "cameras"), "Evidence clips"));

        // The deletion log: each day's count and the audit entry that records it, with its hash.
        var deletion = plates["deletions"]!.AsArray().Where(d => d!["dataClass"]!.GetValue<string>() == "reads" && d["day"]!.GetValue<string>() == $"{oldDay:yyyy-MM-dd}")
            .MaxBy(d => d!["auditEntryId"]!.GetValue<long>())!;
        var entry = deletion["auditEntryId"]!.GetValue<long>();
        Assert.Equal(await app.CountAsync($"""
            SELECT (d->>'deleted')::bigint FROM audit.entries e, jsonb_array_elements(e.details->'days') d
            WHERE e.id = {entry} AND e.action = 'retention-purge' AND e.module = 'Plates' AND d->>'day' = '{oldDay:yyyy-MM-dd}'
            """), deletion["deleted"]!.GetValue<long>());
        Assert.True(deletion["deleted"]!.GetValue<long>() >= 4);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE id = {entry} AND hash = '{deletion["entryHash"]!.GetValue<string>()}'"));
        // The anchor shown is the signed last hash of the entry's UTC day when that anchor covers the entry, else none.
        var anchorDay = deletion["anchorDay"]!.GetValue<string>();
        Assert.Equal($"{now.UtcDateTime:yyyy-MM-dd}", anchorDay);
        var anchor = deletion["anchorHash"]?.GetValue<string>();
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM audit.anchors WHERE day = '{anchorDay}' AND last_id >= {entry}"), anchor is null ? 0 : 1);
        if (anchor is not null)
            Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.anchors WHERE day = '{anchorDay}' AND last_hash = '{anchor}'"));
        Assert.Equal(await app.CountAsync($"""
            SELECT count(*) FROM audit.entries e, jsonb_array_elements(e.details->'days') d
            WHERE e.action = 'retention-purge' AND e.module = 'Plates' AND e.details->>'dataClass' IN ('reads', 'hits') AND e.at >= {f} AND e.at < {t}
            """), plates["deletions"]!.AsArray().Count);

        // Use: searches by kind, hits and their decisions, alerts and precision.
        long Searches(JsonNode tech, string kind) => tech["searches"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == kind)!["searches"]!.GetValue<long>();
        var plateSearches = await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'search' AND at >= {f} AND at < {t}");
        Assert.Equal(plateSearches, Searches(plates, "Plate search"));
        Assert.True(plateSearches >= 3);
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Intelligence' AND action = 'search' AND at >= {f} AND at < {t}"),
            Searches(Technology(report, "intelligence-search"), "Intelligence search"));
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'colocation' AND at >= {f} AND at < {t}"),
            Searches(plates, "Co-location"));
        // By offence (ADR 0047's structured purposes): each technology's searches per offence category, those without a case number (approved) and
        // those approved for any reason, equal to the audit log's; together they are all the technology's searches.
        foreach (var (key, lookups) in new[] { ("plate-readers", "module = 'Plates' AND action IN ('search', 'vehicle-sightings', 'colocation')"),
                                                ("intelligence-search", "module = 'Intelligence' AND action IN ('search', 'view-person')") })
        {
            var tech = Technology(report, key);
            var byOffence = tech["searchesByOffence"]!.AsArray();
            Assert.Equal(tech["searches"]!.AsArray().Sum(s => s!["searches"]!.GetValue<long>()), byOffence.Sum(o => o!["searches"]!.GetValue<long>()));
            Assert.Equal(await app.CountAsync($"SELECT count(DISTINCT coalesce(details->>'offence', '')) FROM audit.entries WHERE {lookups} AND at >= {f} AND at < {t}"),
                byOffence.Count);   // one row per offence stated, and one for none (no offence is ever stored as '')
            foreach (var o in byOffence)
            {
                var offence = o!["offence"]?.GetValue<string>();
                var where = $"{lookups} AND at >= {f} AND at < {t} AND " + (offence is null ? "details->>'offence' IS NULL" : $"details->>'offence' = '{offence.Replace("'", "''")}'");
                Assert.Equal(await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE {where}"), o["searches"]!.GetValue<long>());
                Assert.Equal(await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE {where} AND details->>'caseNumber' IS NULL AND details->>'approvalId' IS NOT NULL"),
                    o["withoutCase"]!.GetValue<long>());
                Assert.Equal(await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE {where} AND details->>'approvalId' IS NOT NULL"), o["approved"]!.GetValue<long>());
            }
        }
        var plateOffences = plates["searchesByOffence"]!.AsArray();
        Assert.True(plateOffences.Single(o => o!["offence"]?.GetValue<string>() == "burglary")!["searches"]!.GetValue<long>() >= 3);
        Assert.True(plateOffences.Single(o => o!["offence"]?.GetValue<string>() == "robbery")!["withoutCase"]!.GetValue<long>() >= 1);
        Assert.True(Technology(report, "intelligence-search")["searchesByOffence"]!.AsArray().Single(o => o!["offence"]?.GetValue<string>() == "robbery")!["searches"]!.GetValue<long>() >= 2);

        var hits = plates["hits"]!;
        const string HitsOfYear = "FROM plates.hotlist_hits WHERE NOT retroactive AND captured_at >= {0} AND captured_at < {1}";
        Assert.Equal(await app.CountAsync($"SELECT count(*) {string.Format(HitsOfYear, f, t)}"), hits["hits"]!.GetValue<long>());
        Assert.Equal(await app.CountAsync($"SELECT count(*) {string.Format(HitsOfYear, f, t)} AND decision = 'confirmed'"), hits["confirmed"]!.GetValue<long>());
        Assert.Equal(await app.CountAsync($"SELECT count(*) {string.Format(HitsOfYear, f, t)} AND decision = 'rejected'"), hits["rejected"]!.GetValue<long>());

        var alerts = acoustic["alerts"]!;
        var gunshots = $"FROM alerts.incidents WHERE kind = 'gunshot' AND opened_at >= {f} AND opened_at < {t}";
        Assert.Equal(await app.CountAsync($"SELECT count(*) {gunshots}"), alerts["alerts"]!.GetValue<long>());
        var attended = await app.CountAsync($"SELECT count(*) {gunshots} AND status = 'closed' AND outcome IS NOT NULL AND outcome NOT IN ('not-attended', 'duplicate')");
        var evidence = await app.CountAsync($"SELECT count(*) {gunshots} AND status = 'closed' AND outcome IN ('gunfire-found', 'stopped', 'confirmed')");
        Assert.Equal(attended, alerts["attended"]!.GetValue<long>());
        Assert.Equal(evidence, alerts["withEvidence"]!.GetValue<long>());
        Assert.True(evidence >= 1);
        Assert.Equal((double)evidence / attended, alerts["precision"]!.GetValue<double>(), 9);
        Assert.Equal(await app.CountAsync($"SELECT count(*) {gunshots} AND outcome = 'gunfire-found'"), alerts["outcomes"]!["gunfire-found"]!.GetValue<long>());

        // Sharing: per agency and data class, reads and items equal the log's.
        var sharing = report["sharing"]!.AsArray();
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM intelligence.agency_reads WHERE at >= {f} AND at < {t}"),
            sharing.Sum(x => x!["reads"]!.GetValue<long>()));
        Assert.Equal(await app.CountAsync($"SELECT coalesce(sum(items), 0) FROM intelligence.agency_reads WHERE at >= {f} AND at < {t}"),
            sharing.Sum(x => x!["items"]!.GetValue<long>()));
        var name = await app.CountAsync($"SELECT count(*) FROM intelligence.agencies WHERE id = '{agency}'");
        Assert.Equal(1, name);
        foreach (var row in sharing)
            Assert.Equal(await app.CountAsync($"""
                SELECT count(*) FROM intelligence.agency_reads r JOIN intelligence.agencies a ON a.id = r.agency_id
                WHERE r.at >= {f} AND r.at < {t} AND a.name = '{row!["agency"]!.GetValue<string>().Replace("'", "''")}' AND a.kind = '{row["kind"]!.GetValue<string>()}'
                  AND r.data_class = '{row["dataClass"]!.GetValue<string>()}'
                """), row["reads"]!.GetValue<long>());
        Assert.Contains(sharing, x => x!["dataClass"]!.GetValue<string>() == "plates" && x["reads"]!.GetValue<long>() >= 2);

        // Counts only: no plate and no purpose text anywhere in the public report.
        var text = report.ToJsonString();
        Assert.DoesNotContain("REP1AB", text);
        Assert.DoesNotContain("red van seen by the witness", text);
        Assert.DoesNotContain("2026-900001", text);
    }

    [Theory]
    [InlineData("1999")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("99999")]
    [InlineData("2147483647")]
    [InlineData("99999999999")]
    [InlineData("abc")]
    [InlineData("2026.5")]
    public async Task A_year_out_of_range_is_a_400_problem_on_the_api_and_a_404_page(string year)
    {
        using var anonymous = app.Client();
        var api = await anonymous.GetAsync($"api/v1/transparency/reports/{Uri.EscapeDataString(year)}");
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var page = await anonymous.GetAsync($"Transparency/Reports/{Uri.EscapeDataString(year)}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    [Fact]
    public async Task The_next_year_but_one_is_refused_and_the_page_without_a_year_goes_to_last_year()
    {
        using var anonymous = app.Client();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var thisYear = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Year;
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync($"api/v1/transparency/reports/{thisYear + 2}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"Transparency/Reports/{thisYear + 1}")).StatusCode);
        var page = await anonymous.GetAsync("Transparency/Reports");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.EndsWith($"/Transparency/Reports/{thisYear - 1}", page.Headers.Location!.ToString());
        var last = await anonymous.GetAsync($"Transparency/Reports/{thisYear - 1}");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        var html = await last.Content.ReadAsStringAsync();
        Assert.Contains("Licence plate readers", html);
        Assert.Contains("table-stack", html);
    }
}
