extern alias verify;
using Microsoft.Extensions.Caching.Memory;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Tests.Integration.Intelligence;
using Verifier = verify::SafeCities.AuditVerify.AgencyReadsVerifier;

namespace SafeCities.Tests.Integration.Audit;

/// <summary>
/// The public list of agencies that read data is anchored (issue 14, ADR 0055): a UTC day's list is hashed and signed by the daily anchor; a day
/// downloaded from <c>/transparency/agency-reads/{day}</c> verifies against <c>/transparency/audit-anchors</c>, and the same day edited in PostgreSQL
/// afterwards, as a superuser would (a count changed, a row deleted, an agency added), does not — the verifier says what differs. The transparency
/// page shows the day's signed digest.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AgencyReadsAnchorTests(AppFixture app)
{
    [Fact]
    public async Task A_days_list_edited_after_anchoring_is_caught_and_the_untouched_day_verifies()
    {
        var day = await OwnDayAsync();
        var (police, _) = await app.RegisterAgencyAsync("police");
        var (probation, _) = await app.RegisterAgencyAsync("parole-probation");
        var (idle, _) = await app.RegisterAgencyAsync("court");   // reads nothing that day
        var noon = $"'{day:yyyy-MM-dd} 12:00:00+00'::timestamptz";
        // The day's reads as the log records them (each after its audit entry, ADR 0041/0051): police 3 searches (2 + 2 + 5 persons) and a plate
        // look-up, probation 1 person view; one read a minute before midnight and none of the next day belong to it.
        await app.ExecuteAsync($"""
            INSERT INTO audit.entries (at, actor, module, action, purpose, details) VALUES ({noon}, 'partner@example.org', 'Intelligence', 'anchor-fixture', NULL, '{"{}"}');
            INSERT INTO intelligence.agency_reads (at, agency_id, data_class, items, action, actor) VALUES
                ({noon}, '{police}', 'persons', 2, 'search', 'partner@example.org'),
                ({noon} + interval '1 hour', '{police}', 'persons', 2, 'search', 'partner@example.org'),
                ({noon} + interval '2 hours', '{police}', 'persons', 5, 'search', 'partner@example.org'),
                ({noon}, '{police}', 'plates', 7, 'search', 'partner@example.org'),
                ({noon} + interval '11 hours 59 minutes', '{probation}', 'persons', 1, 'view-person', 'officer@example.org'),
                ({noon} + interval '12 hours', '{probation}', 'persons', 4, 'view-person', 'officer@example.org');
            """);
        Assert.True(await app.InScopeAsync(sp => sp.GetRequiredService<AnchorAuditLogJob>().AnchorDayAsync(day, default)));

        var (file, anchors) = await DownloadAsync(day);
        var json = JsonNode.Parse(file)!;
        Assert.Equal("safecities-agency-reads-v1", json["format"]!.GetValue<string>());
        Assert.Equal(AgencyReadsDayStatuses.Matches, json["status"]!.GetValue<string>());
        var rows = json["rows"]!.AsArray();
        Assert.Equal(3, rows.Count);   // police persons, police plates, probation persons
        var policePersons = rows.Single(r => r!["dataClass"]!.GetValue<string>() == "persons" && r["kind"]!.GetValue<string>() == "police")!;
        Assert.Equal((3, 9), (policePersons["reads"]!.GetValue<long>(), policePersons["items"]!.GetValue<long>()));
        Assert.Equal((1, 1), (rows.Single(r => r!["kind"]!.GetValue<string>() == "parole-probation")!["reads"]!.GetValue<long>(),
            rows.Single(r => r!["kind"]!.GetValue<string>() == "parole-probation")!["items"]!.GetValue<long>()));
        var signed = json["anchor"]!["sha256"]!.GetValue<string>();
        Assert.Equal(signed, json["sha256"]!.GetValue<string>());
        var anchor = JsonNode.Parse(anchors)!["anchors"]!.AsArray().Single(a => a!["day"]!.GetValue<string>() == $"{day:yyyy-MM-dd}")!;
        Assert.Equal(signed, anchor["agencyReadsSha256"]!.GetValue<string>());
        var key = Convert.FromBase64String(JsonNode.Parse(anchors)!["publicKey"]!.GetValue<string>());
        var intact = Verifier.Verify(file, anchors, key);
        Assert.True(intact.Intact, intact.Problem);

        // The transparency page shows the day's signed digest, anonymously.
        var page = await app.Client().GetStringAsync($"Transparency?day={day:yyyy-MM-dd}");
        Assert.Contains($"<code class=\"text-break\" id=\"agency-reads-day-signed\">{signed}</code>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"agency-reads-day-verdict\">matches", page, StringComparison.Ordinal);

        // A superuser edits the day afterwards: each edit is caught, and the verifier says what differs.
        var edits = new[]
        {
            $"UPDATE intelligence.agency_reads SET items = items + 40 WHERE agency_id = '{police}' AND data_class = 'plates' AND at >= {noon} - interval '12 hours' AND at < {noon} + interval '12 hours'",
            $"DELETE FROM intelligence.agency_reads WHERE agency_id = '{probation}' AND at >= {noon} - interval '12 hours' AND at < {noon} + interval '12 hours'",
            $"INSERT INTO intelligence.agency_reads (at, agency_id, data_class, items, action, actor) VALUES ({noon}, '{idle}', 'warrants', 1, 'search', 'x@example.org')",
        };
        foreach (var edit in edits)
            await EditedAsync(day, edit, async () =>
            {
                var (changed, sameAnchors) = await DownloadAsync(day);
                Assert.Equal(AgencyReadsDayStatuses.Differs, JsonNode.Parse(changed)!["status"]!.GetValue<string>());
                var broken = Verifier.Verify(changed, sameAnchors, key);
                Assert.False(broken.Intact, edit);
                Assert.Contains($"The agency list of {day:yyyy-MM-dd} differs from the one signed when the day was anchored", broken.Problem);
                Assert.Contains($"says {signed}", broken.Problem);
                Assert.Contains("changed in the database after the day was anchored", broken.Problem);
                Assert.Contains("differs from the signed digest", await app.Client().GetStringAsync($"Transparency?day={day:yyyy-MM-dd}"), StringComparison.Ordinal);
            });
        var (restored, _) = await DownloadAsync(day);
        Assert.True(Verifier.Verify(restored, anchors, key).Intact);

        // The file edited by hand after downloading (a count lowered) is caught too, and named as such.
        var lowered = file.Replace("\"items\":9", "\"items\":8", StringComparison.Ordinal);
        Assert.NotEqual(file, lowered);
        var handEdited = Verifier.Verify(lowered, anchors, key);
        Assert.False(handEdited.Intact);
        Assert.Contains("edited after it was downloaded", handEdited.Problem);
        // Another key, or a forged digest in the anchors file, fails the signature.
        Assert.Contains("is not signed by the key",
            Verifier.Verify(file, anchors.Replace(signed, new string('b', 64), StringComparison.Ordinal), key).Problem);

        // scripts/audit-verify --agency-reads: exit 0 on the day as downloaded, 1 naming the difference on the edited one, 2 without its files.
        var dir = Directory.CreateTempSubdirectory("agency-reads-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "day.json"), file);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "edited.json"), lowered);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "anchors.json"), anchors);
            var k = Convert.ToBase64String(key);
            var (code, output) = await AuditChainTests.RunScriptAsync(dir.FullName, "--agency-reads", "day.json", "anchors.json", "--key", k);
            Assert.True(code == 0, output);
            Assert.Contains("INTACT", output);
            (code, output) = await AuditChainTests.RunScriptAsync(dir.FullName, "--agency-reads", "edited.json", "anchors.json", "--key", k);
            Assert.True(code == 1, output);
            Assert.Contains($"BROKEN: The agency list of {day:yyyy-MM-dd} differs", output);
            (code, _) = await AuditChainTests.RunScriptAsync(dir.FullName, "--agency-reads", "day.json");
            Assert.Equal(2, code);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task A_day_is_asked_as_yyyy_MM_dd_from_2020_to_today_and_an_unsigned_day_says_so()
    {
        using var anonymous = app.Client();
        foreach (var wrong in new[] { "yesterday", "2026-13-01", "2019-12-31", DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd") })
            Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync($"transparency/agency-reads/{wrong}")).StatusCode);
        // A day of no anchor: the file says so, and so does the page (which falls back to yesterday for a wrong day, with a message).
        var day = await OwnDayAsync();
        var file = await (await anonymous.GetAsync($"transparency/agency-reads/{day:yyyy-MM-dd}")).ReadJsonAsync();
        Assert.Equal(AgencyReadsDayStatuses.NotAnchored, file["status"]!.GetValue<string>());
        Assert.Null(file["anchor"]);
        var page = await anonymous.GetStringAsync("Transparency?day=2019-01-01");
        Assert.Contains("id=\"agency-reads-day-error\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-day=\"{DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}\"", page, StringComparison.Ordinal);
    }

    /// <summary>
    /// A UTC day of this test's own. The audit-chain tests and the anchors walk anchor "today", and an anchor is written once; the daily job's
    /// catch-up starts after the newest anchor. So today is anchored first, as those tests do (the day below then never becomes the newest anchor
    /// that a catch-up would start from), and the day is a random one of 2021–2023 with no anchor and no read, which no other test touches:
    /// whatever the order the tests run in on one database, nobody anchors it first and nobody adds to it.
    /// </summary>
    private async Task<DateOnly> OwnDayAsync()
    {
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AuditDbContext>().AuditAsync("anchor-test", "Platform", "anchor-fixture", null, new { }, DateTimeOffset.UtcNow, default);
            return await sp.GetRequiredService<AnchorAuditLogJob>().AnchorThroughAsync(DateOnly.FromDateTime(DateTime.UtcNow), default);
        });
        for (;;)
        {
            var day = new DateOnly(2021, 1, 1).AddDays(Random.Shared.Next(3 * 365));
            if (await app.CountAsync($"""
                    SELECT (SELECT count(*) FROM audit.anchors WHERE day = '{day:yyyy-MM-dd}')
                         + (SELECT count(*) FROM intelligence.agency_reads WHERE at >= '{day:yyyy-MM-dd}'::date AT TIME ZONE 'UTC'
                                                                            AND at < ('{day:yyyy-MM-dd}'::date + 1) AT TIME ZONE 'UTC')
                    """) == 0)
                return day;
        }
    }

    /// <summary>The day's file and the anchors as anyone downloads them (the day's file is cached 10 minutes per node: dropped first).</summary>
    private async Task<(string Day, string Anchors)> DownloadAsync(DateOnly day)
    {
        app.Services.GetRequiredService<IMemoryCache>().Remove(GetAgencyReadsDayFileQueryHandler.CacheKey(day));
        using var anonymous = app.Client();
        var file = await anonymous.GetAsync($"transparency/agency-reads/{day:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        return (await file.Content.ReadAsStringAsync(), await anonymous.GetStringAsync("transparency/audit-anchors"));
    }

    /// <summary>Runs <paramref name="sql"/> on the day's reads as a superuser, checks, then puts the day's reads back as they were.</summary>
    private async Task EditedAsync(DateOnly day, string sql, Func<Task> check)
    {
        var backup = "agency_reads_backup_" + Guid.NewGuid().ToString("N");
        var range = $"at >= '{day:yyyy-MM-dd}'::date AT TIME ZONE 'UTC' AND at < ('{day:yyyy-MM-dd}'::date + 1) AT TIME ZONE 'UTC'";
        await app.ExecuteAsync($"CREATE TABLE public.{backup} AS SELECT * FROM intelligence.agency_reads WHERE {range}");
        try
        {
            await app.ExecuteAsync($"BEGIN; SET LOCAL session_replication_role = replica; {sql}; COMMIT;");
            await check();
        }
        finally
        {
            await app.ExecuteAsync($"""
                BEGIN; DELETE FROM intelligence.agency_reads WHERE {range}; INSERT INTO intelligence.agency_reads SELECT * FROM public.{backup}; COMMIT;
                DROP TABLE public.{backup};
                """);
        }
    }
}
