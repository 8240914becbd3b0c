namespace SafeCities.Tests.Integration.Plates;

/// <summary>The Hotlists pages: creating does not post again on reload, counts are current, entries can be paged, searched and removed.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistPagesTests(AppFixture app)
{
    [Fact]
    public async Task Creating_a_list_redirects_once_with_its_message_so_a_reload_creates_nothing_more()
    {
        using var analyst = await app.SignedInAsync(Users.Analyst);
        var name = $"PRG list {Guid.NewGuid():N}"[..20];
        var token = Browserless.AntiforgeryToken(await analyst.GetStringAsync("Plates/Hotlists"));
        var created = await analyst.PostAsync("Plates/Hotlists?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = name, ["kind"] = "agency", ["alertLevel"] = "high", ["reason"] = "stolen", ["owner"] = "7D", ["visibility"] = "all-staff",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/Plates/Hotlists", created.Headers.Location!.OriginalString);
        Assert.Contains($"Created {name}.", await analyst.GetStringAsync("Plates/Hotlists"));
        Assert.DoesNotContain($"Created {name}.", await analyst.GetStringAsync("Plates/Hotlists"));   // the message is shown once; a reload is a GET
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.hotlists WHERE name = '{name}'"));
    }

    [Fact]
    public async Task Listing_a_plate_again_on_the_page_says_what_the_look_back_found_now()
    {
        var plate = await app.PlateReadAgoAsync(TimeSpan.FromHours(1));
        var list = await app.CreateHotlistAsync();
        using var analyst = await app.SignedInAsync(Users.Analyst);

        async Task<string> ListAsync()
        {
            var token = Browserless.AntiforgeryToken(await analyst.GetStringAsync("Plates/Hotlists"));
            var posted = await analyst.PostAsync("Plates/Hotlists?handler=Entry", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["hotlistId"] = list.ToString(), ["plate"] = plate, ["region"] = "", ["reason"] = "", ["__RequestVerificationToken"] = token,
            }));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            return await analyst.GetStringAsync("Plates/Hotlists");
        }

        // The first listing's request committed the entry and died before its look-back.
        await app.EntryStoredWithoutLookBackAsync(list, plate);
        Assert.Contains($"{plate} is already on this list; 1 hit(s) in past reads found now", await ListAsync());
        Assert.Contains($"{plate} is already on this list.", await ListAsync());
        Assert.Single(await app.HitsAsync(plate));
    }

    [Fact]
    public async Task Entries_are_paged_searchable_and_removable_with_an_audit_row_and_the_count_follows()
    {
        var list = await app.CreateHotlistAsync();
        var plates = Enumerable.Range(0, 61).Select(i => $"PG{i:000}{HotlistKit.Plate(2, 0)}").ToList();
        using (var admin = app.AdminClient())
        {
            var imported = await admin.PostAsync($"api/v1/plates/hotlists/{list}/import", new StringContent("plate,region,reason\n" + string.Join('\n', plates.Select(p => $"{p},DC,stolen"))));
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }
        using var analyst = await app.SignedInAsync(Users.Analyst);
        var first = await analyst.GetStringAsync($"Plates/Hotlists/Entries/{list}");
        Assert.Equal(50, CountRows(first));
        Assert.Contains("61 entries · page 1 of 2", first);
        Assert.Equal(11, CountRows(await analyst.GetStringAsync($"Plates/Hotlists/Entries/{list}?p=2")));
        var target = plates[17];
        var found = await analyst.GetStringAsync($"Plates/Hotlists/Entries/{list}?q={target.ToLowerInvariant()}");
        Assert.Equal(1, CountRows(found));
        var entryId = System.Text.RegularExpressions.Regex.Match(found, $"data-entry-id=\"([0-9a-f-]+)\" data-plate=\"{target}\"").Groups[1].Value;

        // without the page's antiforgery token: refused, nothing removed
        var forged = await analyst.PostAsync($"Plates/Hotlists/Entries/{list}?handler=Remove", new FormUrlEncodedContent(new Dictionary<string, string> { ["entryId"] = entryId }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(61, await ActiveAsync(list));

        var removed = await analyst.PostAsync($"Plates/Hotlists/Entries/{list}?handler=Remove&q={target}", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["entryId"] = entryId, ["__RequestVerificationToken"] = Browserless.AntiforgeryToken(found) }));
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Contains($"Removed {target}", await analyst.GetStringAsync(removed.Headers.Location!.OriginalString.TrimStart('/')));
        Assert.Equal(60, await ActiveAsync(list));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'hotlist-entry-withdraw' AND details->>'plate' = '{target}' AND actor = '{Users.Analyst}'"));
        Assert.Contains($">60</a>", await analyst.GetStringAsync("Plates/Hotlists"));   // the list's count on the Hotlists page

        var intelligence = await analyst.GetStringAsync("Plates/Hotlists/Entries/6a1b7c3e-2f4d-4e8a-9c5b-0d1e2f3a4b5c");
        Assert.DoesNotContain("handler=Remove", intelligence);   // Intelligence's requests end with their warrant, not here
    }

    private static int CountRows(string html) => System.Text.RegularExpressions.Regex.Matches(html, "<tr data-entry-id=").Count;

    private Task<long> ActiveAsync(Guid list) =>
        app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}' AND withdrawn_at IS NULL");
}
