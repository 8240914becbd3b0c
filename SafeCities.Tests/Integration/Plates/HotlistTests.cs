using Mediator;
using Microsoft.AspNetCore.SignalR.Client;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Tests.Integration.Plates;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistTests(AppFixture app)
{
    [Fact]
    public async Task Each_match_kind_raises_a_hit_at_ingestion_with_its_kind()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();

        var exact = HotlistKit.Plate();
        var prefix = HotlistKit.Plate(3, 0);
        var suffix = HotlistKit.Plate(0, 3);
        var wildcardEntry = $"{prefix}*{suffix}";
        var wildcardRead = $"{prefix}7K{suffix}";
        var core = HotlistKit.Plate(2, 2);
        var misreadEntry = $"{core}OI5";          // listed with the letters O and I…
        var misreadRead = $"{core}015";           // …read as the digits 0 and 1
        var missingEntry = HotlistKit.Plate(3, 4);
        var missingRead = missingEntry.Remove(3, 1); // the reader dropped a character
        var extraEntry = HotlistKit.Plate(3, 3);
        var extraRead = extraEntry.Insert(2, "7");   // the reader added one
        var regional = HotlistKit.Plate();
        foreach (var p in new[] { exact, wildcardEntry, misreadEntry, missingEntry, extraEntry })
            await app.AddEntryAsync(list, p);
        await app.AddEntryAsync(list, regional, region: "MD");
        var unrelated = HotlistKit.Plate();

        var now = DateTimeOffset.UtcNow.AddSeconds(-5);
        Assert.Equal((7, 0), await app.SendReadsAsync(key,
            PlatesKit.Read("e", exact, now), PlatesKit.Read("w", wildcardRead, now), PlatesKit.Read("m", misreadRead, now),
            PlatesKit.Read("d", missingRead, now), PlatesKit.Read("x", extraRead, now), PlatesKit.Read("r", regional, now, region: "DC"),
            PlatesKit.Read("u", unrelated, now)));

        async Task Expect(string read, string entry, string kind)
        {
            var hits = await app.HitsAsync(read);
            var hit = Assert.Single(hits, h => h!["readPlate"]!.GetValue<string>() == read);
            Assert.Equal(entry, hit!["entryPlate"]!.GetValue<string>());
            Assert.Equal(kind, hit["matchKind"]!.GetValue<string>());
            Assert.Equal(readerId, hit["readerId"]!.GetValue<Guid>());
            Assert.False(hit["retroactive"]!.GetValue<bool>());
            Assert.Equal("high", hit["alertLevel"]!.GetValue<string>());
            Assert.Equal("Stolen vehicle", hit["reason"]!.GetValue<string>());
        }
        await Expect(exact, exact, "exact");
        await Expect(wildcardRead, wildcardEntry, "wildcard");
        await Expect(misreadRead, misreadEntry, "misread");
        await Expect(missingRead, missingEntry, "missing-character");
        await Expect(extraRead, extraEntry, "extra-character");
        // A region-specific entry does not match the same characters from another region; an unlisted plate raises nothing.
        Assert.Empty(await app.HitsAsync(regional));
        Assert.Empty(await app.HitsAsync(unrelated));

        // A resent read is a duplicate: no second hit.
        Assert.Equal((0, 1), await app.SendReadsAsync(key, PlatesKit.Read("e", exact, now)));
        Assert.Single(await app.HitsAsync(exact));
    }

    [Fact]
    public async Task A_newly_listed_plate_is_checked_against_the_last_days_of_reads()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var plate = $"{HotlistKit.Plate(2, 0)}S{HotlistKit.Plate(0, 4)}";
        var misread = plate.Replace('S', '5');
        var now = DateTimeOffset.UtcNow;
        await app.SendReadsAsync(key, PlatesKit.Read("old", plate, now.AddDays(-10)), PlatesKit.Read("recent", plate, now.AddDays(-2)),
            PlatesKit.Read("misread", misread, now.AddDays(-1)));
        var list = await app.CreateHotlistAsync(kind: "amber");

        var entry = await app.AddEntryAsync(list, plate, reason: "AMBER alert 2026-114");

        // Within the 7-day look-back: the exact read of 2 days ago and the misread of yesterday; 10 days ago is outside it.
        Assert.Equal(2, entry["retroactiveHits"]!.GetValue<int>());
        var hit = Assert.Single(await app.HitsAsync(plate), h => h!["readPlate"]!.GetValue<string>() == plate);
        Assert.True(hit!["retroactive"]!.GetValue<bool>());
        Assert.Equal("exact", hit["matchKind"]!.GetValue<string>());
        Assert.Equal("AMBER alert 2026-114", hit["reason"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(hit["capturedAt"]!.GetValue<string>()) > now.AddDays(-3));
        var fuzzy = Assert.Single(await app.HitsAsync(misread));
        Assert.Equal("misread", fuzzy!["matchKind"]!.GetValue<string>());
        Assert.Equal(plate, fuzzy["entryPlate"]!.GetValue<string>());
        Assert.True(fuzzy["retroactive"]!.GetValue<bool>());

        // Listing the same plate in another list raises the reads for that list too, once.
        var other = await app.CreateHotlistAsync(kind: "missing-person");
        Assert.Equal(2, (await app.AddEntryAsync(other, plate))["retroactiveHits"]!.GetValue<int>());
        Assert.Equal(2, (await app.HitsAsync(plate)).Count(h => h!["readPlate"]!.GetValue<string>() == plate));
    }

    [Fact]
    public async Task A_newly_listed_wildcard_finds_past_reads_whatever_its_literal_beginning_end_or_middle()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        // Letters and digits no other test's plates have in these places, so each pattern finds only its own read.
        var (a, b, c) = (HotlistKit.Plate(3, 0), HotlistKit.Plate(0, 3), HotlistKit.Plate(2, 2));
        var reads = new[] { $"{a}7{b}", $"Q{c}X", $"{b}{a}{c}", $"{c}{a}9" };
        var patterns = new[]
        {
            $"{a}?{b}",                          // a literal beginning (the live matcher files it there)
            $"*{c}X",                            // a literal end
            $"*{a}{c[0]}*",                      // only literal characters side by side in the middle
            $"?{c[1]}?{c[3]}?{a[1]}?9*",         // no two literal characters side by side
        };
        var now = DateTimeOffset.UtcNow;
        await app.SendReadsAsync(key, [.. reads.Select((r, i) => PlatesKit.Read($"w{i}", r, now.AddDays(-1)))]);
        var list = await app.CreateHotlistAsync();

        foreach (var pattern in patterns)
            await app.AddEntryAsync(list, pattern);

        foreach (var (read, pattern) in new[] { (reads[0], patterns[0]), (reads[1], patterns[1]), (reads[2], patterns[2]), (reads[3], patterns[3]) })
            Assert.Contains(await app.HitsAsync(read), h => h!["entryPlate"]!.GetValue<string>() == pattern && h["retroactive"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_large_import_looks_back_through_the_matcher_and_finds_every_kind_of_match_in_the_window()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var (exact, early, late) = (HotlistKit.Plate(), HotlistKit.Plate(), HotlistKit.Plate());
        var misreadEntry = $"{HotlistKit.Plate(2, 2)}OI5";
        var (missingEntry, extraEntry) = (HotlistKit.Plate(3, 4), HotlistKit.Plate(3, 3));
        var (prefix, suffix) = (HotlistKit.Plate(3, 0), HotlistKit.Plate(0, 3));
        var now = DateTimeOffset.UtcNow;
        (string Read, string Entry, string Kind, DateTimeOffset At)[] found =
        [
            (exact, exact, "exact", now.AddDays(-2)),
            (misreadEntry.Replace("OI", "01"), misreadEntry, "misread", now.AddDays(-3)),
            (missingEntry.Remove(3, 1), missingEntry, "missing-character", now.AddHours(-30)),
            (extraEntry.Insert(2, "7"), extraEntry, "extra-character", now.AddHours(-1)),
            ($"{prefix}7K{suffix}", $"{prefix}*{suffix}", "wildcard", now.AddDays(-5)),
            (early, early, "exact", now.AddDays(-7).AddHours(1)),  // the window's first, partial day
        ];
        await app.SendReadsAsync(key, [.. found.Select((f, i) => PlatesKit.Read($"in{i}", f.Read, f.At)),
            PlatesKit.Read("out", late, now.AddDays(-7).AddHours(-1))]); // just before the window
        var list = await app.CreateHotlistAsync(kind: "ncic-stolen");
        // More entries than the database filters for (HotlistOptions.RetroactivePrefilterLimit): every read of the window goes through
        // the matcher. The filler plates are of a shape no test reads (ten characters, QX and digits).
        var filler = Enumerable.Range(0, 600).Select(_ => $"QX{Random.Shared.NextInt64(10_000_000, 99_999_999)}").Distinct();
        var csv = "LIC,LIS\n" + string.Join("\n", found.Select(f => f.Entry).Append(late).Concat(filler).Select(p => $"{p},")) + "\n";

        var imported = await ImportAsync(list, csv);

        Assert.True(imported["imported"]!.GetValue<int>() > 600);
        Assert.Equal(found.Length, imported["retroactiveHits"]!.GetValue<int>());
        foreach (var (read, entry, kind, _) in found)
        {
            var hit = Assert.Single(await app.HitsAsync(read), h => h!["readPlate"]!.GetValue<string>() == read);
            Assert.Equal((entry, kind, true), (hit!["entryPlate"]!.GetValue<string>(), hit["matchKind"]!.GetValue<string>(), hit["retroactive"]!.GetValue<bool>()));
        }
        Assert.Empty(await app.HitsAsync(late));
    }

    [Fact]
    public async Task A_hit_reaches_commanders_live_without_a_restricted_lists_reason()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync(visibility: "restricted", level: "medium");
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate);

        // Commanders see every hit (officers only the hits near them: OfficerPositionTests).
        var commanderKey = await app.CreateClientKeyAsync(SafeCities.Modules.Shared.Security.Roles.Commander);
        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/incidents"), o => o.Headers["X-Api-Key"] = commanderKey).Build();
        var received = new TaskCompletionSource<OfficerNotificationDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        board.On<OfficerNotificationDto>("OfficerNotified", n =>
        {
            if (n.Kind == "HotlistHit" && n.Title.Contains(plate))
                received.TrySetResult(n);
        });
        await board.StartAsync();

        await app.SendReadsAsync(key, PlatesKit.Read("live", plate, DateTimeOffset.UtcNow.AddSeconds(-2)));

        var notice = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal($"Hotlist hit (medium): {plate}", notice.Title);
        Assert.Contains("exact match", notice.Text);
        // Restricted list: the board gets the plate and whom to contact, not the reason.
        Assert.Contains("restricted list — contact Test PD", notice.Text);
        Assert.DoesNotContain("Stolen vehicle", notice.Text);
        var hit = Assert.Single(await app.HitsAsync(plate));
        Assert.Equal(hit!["id"]!.GetValue<Guid>(), notice.Id);
    }

    [Fact]
    public async Task An_ncic_extract_is_imported_with_rejects_and_a_reimport_replaces_the_list_atomically()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync(kind: "ncic-stolen");
        var (a, b, c) = (HotlistKit.Plate(), HotlistKit.Plate(), HotlistKit.Plate());
        var future = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyyMMdd");
        var csv = $"""
            NIC,LIC,LIS,LIY,VMA,VCO,MKE,EXP
            V123456789,{a},DC,2027,HOND,SIL,SV - stolen vehicle,{future}
            V123456790,{b},,2026,TOYT,BLK,SV - stolen vehicle,
            V123456791,NOT A PLATE!,DC,2026,FORD,RED,SV,
            V123456792,{c},DC,2026,FORD,RED,SV,20200101
            V123456793,{a},DC,2027,HOND,SIL,SV - stolen vehicle,
            V123456794,,DC,2026,FORD,RED,SV,
            """;
        var first = await ImportAsync(list, csv);
        Assert.Equal(6, first["lines"]!.GetValue<int>());
        Assert.Equal(2, first["imported"]!.GetValue<int>());
        var rejected = first["rejected"]!.AsArray().Select(r => (r!["line"]!.GetValue<int>(), r["reason"]!.GetValue<string>())).ToList();
        Assert.Equal([4, 5, 6, 7], rejected.Select(r => r.Item1));
        Assert.Contains("not a plate", rejected[0].Item2);
        Assert.Contains("expired", rejected[1].Item2);
        Assert.Equal("repeats line 2", rejected[2].Item2);
        Assert.Equal("no plate", rejected[3].Item2);

        var now = DateTimeOffset.UtcNow.AddSeconds(-3);
        await app.SendReadsAsync(key, PlatesKit.Read("a1", a, now), PlatesKit.Read("b1", b, now, region: "VA"));
        var hitA = Assert.Single(await app.HitsAsync(a));
        Assert.Equal("SV - stolen vehicle (SIL HOND)", hitA!["reason"]!.GetValue<string>());
        Assert.Single(await app.HitsAsync(b)); // no state on the line: any region

        // Re-import: b leaves, c arrives; a stays (same entry, so its earlier read is not raised again).
        var second = await ImportAsync(list, $"LIC,LIS,MKE\n{a},DC,SV\n{c},DC,SV\n");
        Assert.Equal(2, second["imported"]!.GetValue<int>());
        Assert.Equal(2, second["replaced"]!.GetValue<int>());
        Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}'"));
        await app.SendReadsAsync(key, PlatesKit.Read("b2", b, now.AddSeconds(1), region: "VA"), PlatesKit.Read("c2", c, now.AddSeconds(1)));
        Assert.Single(await app.HitsAsync(b));
        Assert.Single(await app.HitsAsync(c));
        Assert.Single(await app.HitsAsync(a));

        // A file with no good line changes nothing.
        var bad = await ImportAsync(list, "LIC,LIS\n!!,DC\n");
        Assert.Equal(0, bad["imported"]!.GetValue<int>());
        Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}'"));
    }

    [Fact]
    public async Task An_import_of_the_longest_file_accepted_is_not_refused_for_the_line_break_that_ends_it()
    {
        var list = await app.CreateHotlistAsync();
        var (first, last) = (HotlistKit.Plate(), HotlistKit.Plate());
        // 200,000 lines (HotlistOptions.MaxImportLines): the header, two plates and blank lines between them, ending with a line break
        // as files do — counted as 200,001 lines and refused before.
        var longest = $"LIC,LIS\n{first},DC\n{new string('\n', 199_997)}{last},DC\n";

        var imported = await ImportAsync(list, longest);

        Assert.Equal((2, 0), (imported["imported"]!.GetValue<int>(), imported["rejected"]!.AsArray().Count));
        Assert.Equal(new[] { first, last }.Order(), (await app.EntriesAsync(list)).Order());
        using var longer = await app.PostImportAsync(list, $"LIC,LIS\n{first},DC\n{new string('\n', 199_998)}{last},DC\n\n");
        var problem = await longer.Content.ReadAsStringAsync();
        Assert.True(longer.StatusCode == HttpStatusCode.BadRequest, problem);
        Assert.Contains("The file has 200001 lines; at most 200000 are accepted.", problem);
    }

    [Fact]
    public async Task An_import_writes_its_entries_in_one_statement_and_bumps_the_lists_version_a_few_times_not_once_an_entry()
    {
        // Every statement that changes an entry bumps the one version row (a statement trigger), and each bump in the same transaction
        // costs more than the last: inserted one statement an entry, 20,000 entries took 6.6 s and the 200,000 lines allowed over 100 s.
        var list = await app.CreateHotlistAsync(kind: "ncic-stolen");
        var plates = Enumerable.Range(0, 2_000).Select(i => $"QW{i:D6}").ToList();
        var before = await app.CountAsync("SELECT version FROM plates.hotlist_version");

        var imported = await ImportAsync(list, "LIC,LIS,MKE\n" + string.Join("\n", plates.Select(p => $"{p},DC,SV - stolen vehicle")) + "\n");

        Assert.Equal(2_000, imported["imported"]!.GetValue<int>());
        Assert.InRange(await app.CountAsync("SELECT version FROM plates.hotlist_version") - before, 1, 5);
        Assert.Equal(plates, (await app.EntriesAsync(list)).Order(StringComparer.Ordinal));
        var entry = await app.CountAsync($"""
            SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}' AND plate = 'QW000007' AND region = 'DC'
              AND reason = 'SV - stolen vehicle' AND withdrawn_at IS NULL AND added_at > now() - interval '1 minute'
            """);
        Assert.Equal(1, entry);
    }

    [Fact]
    public async Task A_lists_entries_come_a_page_at_a_time_with_a_link_to_the_next_and_none_is_left_out()
    {
        var list = await app.CreateHotlistAsync(kind: "ncic-stolen");
        var plates = Enumerable.Range(0, 5_001).Select(i => $"QV{i:D6}").ToList();
        Assert.Equal(5_001, (await ImportAsync(list, "LIC,LIS\n" + string.Join("\n", plates.Select(p => $"{p},DC")) + "\n"))["imported"]!.GetValue<int>());
        using var admin = app.AdminClient();

        using var first = await admin.GetAsync($"api/v1/plates/hotlists/{list}/entries");
        var firstPage = (await first.ReadJsonAsync()).AsArray();
        Assert.Equal(5_000, firstPage.Count);
        Assert.Equal($"</api/v1/plates/hotlists/{list}/entries?page=2>; rel=\"next\"", Assert.Single(first.Headers.GetValues("Link")));
        using var second = await admin.GetAsync($"api/v1/plates/hotlists/{list}/entries?page=2");
        var secondPage = (await second.ReadJsonAsync()).AsArray();
        Assert.False(second.Headers.Contains("Link"));
        // Before, the list stopped at 5,000 entries and said nothing of the rest.
        Assert.Equal(plates, firstPage.Concat(secondPage).Select(e => e!["plate"]!.GetValue<string>()));

        foreach (var bad in new[] { "0", "-1", "abc", "100001" })
        {
            using var refused = await admin.GetAsync($"api/v1/plates/hotlists/{list}/entries?page={bad}");
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"page={bad}: {(int)refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task An_import_that_meets_another_change_of_its_list_waits_for_it_and_replaces_what_it_committed()
    {
        var list = await app.CreateHotlistAsync(kind: "ncic-stolen");
        var plate = HotlistKit.Plate();
        // Another change of the list's entries is under way, listing the same plate (its transaction holds the list, as each does).
        await using var other = new NpgsqlConnection(app.ConnectionString);
        await other.OpenAsync();
        await using var change = await other.BeginTransactionAsync();
        await using (var listing = new NpgsqlCommand($"""
            SELECT 1 FROM plates.hotlists WHERE id = '{list}' FOR UPDATE;
            INSERT INTO plates.hotlist_entries (id, hotlist_id, plate, region, added_at) VALUES ('{Guid.CreateVersion7()}', '{list}', '{plate}', 'DC', now());
            """, other, change))
            await listing.ExecuteNonQueryAsync();

        var import = ImportAsync(list, $"LIC,LIS\n{plate},DC\n");
        await Task.Delay(500);
        Assert.False(import.IsCompleted);
        await change.CommitAsync();

        // It read the list's entries after the other change committed: the plate kept (replaced by itself), not listed twice — which failed
        // (unique index, 500) when the entries were read before the list was held.
        var imported = await import.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, imported["imported"]!.GetValue<int>());
        Assert.Equal(1, imported["replaced"]!.GetValue<int>());
        Assert.Equal([plate], await app.EntriesAsync(list));
    }

    [Fact]
    public async Task Intelligence_requests_put_a_vehicle_on_the_hotlist_and_a_withdrawal_takes_it_off()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var plate = HotlistKit.Plate();
        var request = Guid.NewGuid();
        await PublishAsync(new VehicleHotlistRequestedEvent(request, plate, "DC", Guid.NewGuid(), "Active warrant W-77", DateTimeOffset.UtcNow, null));
        await PublishAsync(new VehicleHotlistRequestedEvent(request, plate, "DC", Guid.NewGuid(), "Active warrant W-77", DateTimeOffset.UtcNow, null));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE reference = '{request}'"));

        // The request's handler does not wait for the node's new matcher (an outbox worker): a read sent at once may be matched by the
        // old one and caught up by the new one moments later (ADR 0062).
        await app.SendReadsAsync(key, PlatesKit.Read("i1", plate, DateTimeOffset.UtcNow.AddSeconds(-5)));
        var hit = await app.HitEventuallyAsync(plate);
        Assert.Equal("Intelligence requests", hit!["hotlistName"]!.GetValue<string>());
        Assert.Equal("Active warrant W-77", hit["reason"]!.GetValue<string>());

        await PublishAsync(new VehicleHotlistWithdrawnEvent(request, plate, "DC", "Warrant served", DateTimeOffset.UtcNow));
        await app.SendReadsAsync(key, PlatesKit.Read("i2", plate, DateTimeOffset.UtcNow.AddSeconds(-1)));
        Assert.Single(await app.HitsAsync(plate));
    }

    [Fact]
    public async Task An_intelligence_request_delivered_again_runs_the_look_back_its_first_delivery_did_not_finish()
    {
        var plate = await app.PlateReadAgoAsync(TimeSpan.FromHours(3));
        var request = Guid.NewGuid();
        // The first delivery stored the entry and died before its look-back; the outbox delivers the request again.
        await app.EntryStoredWithoutLookBackAsync(IntelligenceHotlist.Id, plate, "DC", "Active warrant W-78", request.ToString());
        Assert.Empty(await app.HitsAsync(plate));

        await PublishAsync(new VehicleHotlistRequestedEvent(request, plate, "DC", Guid.NewGuid(), "Active warrant W-78", DateTimeOffset.UtcNow, null));
        await PublishAsync(new VehicleHotlistRequestedEvent(request, plate, "DC", Guid.NewGuid(), "Active warrant W-78", DateTimeOffset.UtcNow, null));

        var hit = Assert.Single(await app.HitsAsync(plate));
        Assert.True(hit!["retroactive"]!.GetValue<bool>());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE reference = '{request}'"));
    }

    [Fact]
    public async Task A_withdrawal_delivered_before_its_request_leaves_the_vehicle_off_the_list()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var plate = HotlistKit.Plate();
        var request = Guid.NewGuid();
        // Intelligence's outbox may deliver them in either order (the request's first delivery failed and waits for its retry).
        await PublishAsync(new VehicleHotlistWithdrawnEvent(request, plate, "DC", "warrant W-79 cleared", DateTimeOffset.UtcNow));
        await PublishAsync(new VehicleHotlistRequestedEvent(request, plate, "DC", Guid.NewGuid(), "Active warrant W-79", DateTimeOffset.UtcNow, null));
        await PublishAsync(new VehicleHotlistRequestedEvent(request, plate, "DC", Guid.NewGuid(), "Active warrant W-79", DateTimeOffset.UtcNow, null));

        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE reference = '{request}' AND withdrawn_at IS NULL"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE reference = '{request}' AND withdrawn_at IS NOT NULL"));
        Assert.Equal((1, 0), await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow.AddSeconds(-2))));
        Assert.Empty(await app.HitsAsync(plate));
    }

    private Task PublishAsync(INotification e) => app.InScopeAsync(async sp =>
    {
        await sp.GetRequiredService<IPublisher>().Publish(e);
        return 0;
    });

    private async Task<JsonNode> ImportAsync(Guid list, string csv)
    {
        using var response = await app.PostImportAsync(list, csv);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistHitOutboxTests(AppFixture app)
{
    private const string HitEvent = "SafeCities.Modules.Plates.Contracts.HotlistHitEvent";

    [Fact]
    public async Task A_live_hit_commits_with_its_read_and_its_event_waits_in_the_outbox_before_the_reader_is_answered()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate);

        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow.AddSeconds(-2)));

        // Both were committed before the 200: no waiting for either.
        var hitId = Assert.Single(await app.HitsAsync(plate))!["id"]!.GetValue<Guid>();
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE id = '{hitId}' AND type = '{HitEvent}' AND payload->>'readPlate' = '{plate}'"));
        // Alerts hears of it through the outbox: the incident opens, keyed by the hit, and the event is marked delivered.
        Assert.Equal(1, await app.CountEventuallyAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hitId}' AND kind = 'hotlist-hit'", 1));
        Assert.Equal(1, await app.CountEventuallyAsync($"SELECT count(*) FROM plates.outbox_messages WHERE id = '{hitId}' AND dispatched_at IS NOT NULL", 1));
    }

    [Fact]
    public async Task A_retroactive_hit_commits_with_its_event_in_the_outbox_before_the_listing_is_answered()
    {
        var plate = await app.PlateReadAgoAsync(TimeSpan.FromHours(2));
        var list = await app.CreateHotlistAsync();

        Assert.Equal(1, (await app.AddEntryAsync(list, plate))["retroactiveHits"]!.GetValue<int>());

        // The look-back's hit and its event were committed together before the answer: a node dying now leaves the event to the sweep.
        var hitId = Assert.Single(await app.HitsAsync(plate))!["id"]!.GetValue<Guid>();
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM plates.outbox_messages WHERE id = '{hitId}' AND type = '{HitEvent}' AND payload->>'retroactive' = 'true'"));
        Assert.Equal(1, await app.CountEventuallyAsync($"SELECT count(*) FROM plates.outbox_messages WHERE id = '{hitId}' AND dispatched_at IS NOT NULL", 1));
    }

    [Fact]
    public async Task A_listing_sent_again_after_a_lost_answer_runs_the_look_back_the_first_request_did_not_finish()
    {
        var plate = await app.PlateReadAgoAsync(TimeSpan.FromHours(2));
        var list = await app.CreateHotlistAsync();
        // The first request committed the entry, and its node died before the look-back; the client never got an answer.
        await app.EntryStoredWithoutLookBackAsync(list, plate);
        Assert.Empty(await app.HitsAsync(plate));

        using var admin = app.AdminClient();
        var again = await admin.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries", new { plate });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var entry = await again.ReadJsonAsync();
        Assert.True(entry["alreadyListed"]!.GetValue<bool>());
        Assert.Equal(1, entry["retroactiveHits"]!.GetValue<int>());
        var hitId = Assert.Single(await app.HitsAsync(plate))!["id"]!.GetValue<Guid>();
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE id = '{hitId}' AND type = '{HitEvent}'"));

        // A third time finds nothing new: the hit is recorded once.
        Assert.Equal(0, (await (await admin.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries", new { plate })).ReadJsonAsync())["retroactiveHits"]!.GetValue<int>());
        Assert.Single(await app.HitsAsync(plate));
    }

    [Fact]
    public async Task A_hit_whose_hand_over_was_lost_when_the_node_died_after_the_commit_is_alerted_by_the_sweep_once()
    {
        var (lat, lon) = Api.Place();
        var (readerId, _) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        var entryId = (await app.AddEntryAsync(list, plate))["id"]!.GetValue<Guid>();
        var read = new MatchedRead(Guid.CreateVersion7(), readerId, plate, "DC", DateTimeOffset.UtcNow.AddSeconds(-5), lat, lon);

        // What the ingestion transaction writes, committed; the live hand-over (after the commit) never happens, as when the node dies.
        var hitId = await app.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<PlatesDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var (connection, tx) = ((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
            var messages = await sp.GetRequiredService<HotlistHitRecorder>().RecordAsync(connection, tx,
                [(new PlateMatch(new MatchableEntry(entryId, list, plate, null, null), "exact"), read)], retroactive: false, default);
            await sp.GetRequiredService<OutboxSqlWriter>().InsertAsync(connection, tx, PlatesDbContext.Schema, messages, default);
            await transaction.CommitAsync();
            return Assert.Single(messages).Id;
        });
        Assert.Single(await app.HitsAsync(plate));
        // The restarted node's sweep takes what is due (the grace that keeps it off the live dispatch's messages has passed).
        await app.CountAsync($"WITH due AS (UPDATE plates.outbox_messages SET next_attempt_at = now() - interval '1 minute' WHERE id = '{hitId}' RETURNING 1) SELECT count(*) FROM due");
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hitId}'"));

        Assert.True(await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(default)) >= 1);

        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hitId}' AND kind = 'hotlist-hit'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE id = '{hitId}' AND dispatched_at IS NOT NULL"));
        await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(default));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.timeline WHERE incident_id = '{hitId}' AND kind = 'HotlistHit'"));
    }

    private const string LookBackOwed = "SafeCities.Modules.Plates.Features.HotlistLookBackOwed";

    [Fact]
    public async Task An_import_records_its_look_back_as_done_in_the_transaction_of_its_hits()
    {
        var plate = await app.PlateReadAgoAsync(TimeSpan.FromHours(2));
        var list = await app.CreateHotlistAsync();

        using var response = await app.PostImportAsync(list, $"LIC,LIS\n{plate},DC\n{HotlistKit.Plate()},DC\n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.ReadJsonAsync())["retroactiveHits"]!.GetValue<int>());
        // Owed in the import's transaction, done in the look-back's: already marked when the answer comes, so the sweep never runs it again.
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM plates.outbox_messages WHERE type = '{LookBackOwed}' AND payload->>'hotlistId' = '{list}' AND dispatched_at IS NOT NULL"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE type = '{LookBackOwed}' AND payload->>'hotlistId' = '{list}' AND dispatched_at IS NULL"));
    }

    [Fact]
    public Task An_import_whose_look_back_failed_after_its_commit_is_looked_back_by_the_sweep() =>
        FailedLookBackIsSweptAsync((list, plate) => app.PostImportAsync(list, $"LIC,LIS\n{plate},DC\n"));

    [Fact]
    public Task A_listing_whose_look_back_failed_after_its_commit_is_looked_back_by_the_sweep() =>
        FailedLookBackIsSweptAsync(async (list, plate) =>
        {
            using var admin = app.AdminClient();
            return await admin.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries", new { plate, region = "DC" });
        });

    /// <summary>
    /// A plate read two hours ago is listed by <paramref name="listing"/>, whose look-back fails after the listing committed (as when its
    /// node dies there; here the database refuses that plate's hit). Nothing retries the request — an import sent again would keep the
    /// entry and not look back — yet the restarted node's sweep finds the look-back owed and records the hit with its event.
    /// </summary>
    private async Task FailedLookBackIsSweptAsync(Func<Guid, string, Task<HttpResponseMessage>> listing)
    {
        var plate = await app.PlateReadAgoAsync(TimeSpan.FromHours(2));
        var list = await app.CreateHotlistAsync();
        await using (await app.RefuseInsertsAsync("plates.hotlist_hits", $"NEW.read_plate = '{plate}'", "the look-back dies here"))
        {
            using var response = await listing(list, plate);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }
        Assert.Contains(plate, await app.EntriesAsync(list));
        Assert.Empty(await app.HitsAsync(plate));
        var owed = $"type = '{LookBackOwed}' AND payload->>'hotlistId' = '{list}'";
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE {owed} AND dispatched_at IS NULL"));

        // The restarted node's sweep takes it once its grace (which keeps the sweep off what a live node is still doing) has passed.
        await app.ExecuteAsync($"UPDATE plates.outbox_messages SET next_attempt_at = now() - interval '1 minute' WHERE {owed}");
        Assert.True(await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(default)) >= 1);

        var hitId = Assert.Single(await app.HitsAsync(plate))!["id"]!.GetValue<Guid>();
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE id = '{hitId}' AND type = '{HitEvent}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE {owed} AND dispatched_at IS NOT NULL"));
    }

    [Fact]
    public async Task An_owed_look_back_still_running_in_its_request_is_left_to_it_and_one_already_done_is_not_run_again()
    {
        var plate = await app.PlateReadAgoAsync(TimeSpan.FromHours(2));
        var list = await app.CreateHotlistAsync();
        await app.EntryStoredWithoutLookBackAsync(list, plate);
        var owedId = await OweAsync(list, delivered: false);
        // Its listing's request is still looking back (a large import's may outlast the sweep's grace): it holds the look-back.
        await using (var request = new NpgsqlConnection(app.ConnectionString))
        {
            await request.OpenAsync();
            await using var running = await request.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand(
                $"SELECT pg_advisory_xact_lock({AdvisoryLocks.PerIncident(AdvisoryLocks.HotlistLookBackOwedPerMessage, owedId)})", request, running))
                await hold.ExecuteNonQueryAsync();

            await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(default));

            // The sweep left it: tried, not run (no hit), to be tried again after its back-off.
            Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE id = '{owedId}' AND dispatched_at IS NULL AND attempts = 1 AND last_error LIKE '%running elsewhere%'"));
            Assert.Empty(await app.HitsAsync(plate));
        }
        // The request died without finishing: the sweep runs it once its back-off has passed.
        await app.ExecuteAsync($"UPDATE plates.outbox_messages SET next_attempt_at = now() - interval '1 minute' WHERE id = '{owedId}'");
        await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(default));
        Assert.Single(await app.HitsAsync(plate));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE id = '{owedId}' AND dispatched_at IS NOT NULL"));

        // A delivery of a look-back already done (a live retry that comes after its request finished) runs nothing: a plate listed since
        // that the look-back would find stays unmatched by it.
        var later = await app.PlateReadAgoAsync(TimeSpan.FromHours(2));
        // Its read's catch-up (owed when this node's matcher was behind the lists) is delivered first: matched by a matcher built after
        // the plate is listed, it would find the read, and the hit would not be the look-back's.
        Assert.Equal(0, await app.CountEventuallyAsync($"""
            SELECT count(*) FROM plates.outbox_messages
            WHERE type = '{typeof(HotlistCatchUpOwed).FullName}' AND dispatched_at IS NULL AND failed_at IS NULL AND attempts = 0
            """, 0));
        await app.EntryStoredWithoutLookBackAsync(list, later);
        var done = await OweAsync(list, delivered: true);
        await app.InScopeAsync(async sp =>
        {
            var row = await sp.GetRequiredService<PlatesDbContext>().Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == done);
            return await sp.GetRequiredService<OutboxDelivery>().DeliverAsync(typeof(PlatesDbContext), row, default);
        });
        Assert.Empty(await app.HitsAsync(later));
    }

    /// <summary>A look-back owed for the entries of <paramref name="list"/> added in the last minute, as a listing's transaction writes it.</summary>
    private async Task<Guid> OweAsync(Guid list, bool delivered)
    {
        var id = Guid.CreateVersion7();
        await app.ExecuteAsync($"""
            INSERT INTO plates.outbox_messages (id, type, payload, created_at, next_attempt_at, attempts, dispatched_at)
            VALUES ('{id}', '{LookBackOwed}', jsonb_build_object('id', '{id}', 'hotlistId', '{list}', 'addedSince', now() - interval '1 minute'),
                    now(), now() - interval '1 minute', 0, {(delivered ? "now()" : "NULL")})
            """);
        return id;
    }
}
