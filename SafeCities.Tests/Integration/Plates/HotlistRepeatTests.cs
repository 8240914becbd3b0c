using System.Text;
using Npgsql;
using SafeCities.Modules.Plates.Data.Migrations;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// A plate is on a list at most once per region. A repeat used to be stored, after which every import and commit of that list failed with
/// a 500 (the list could never be replaced); now the same request again answers the entry it made, other details are refused, and lists
/// that already held repeats are cleaned up by the migration so they import again.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistRepeatTests(AppFixture app)
{
    private const string Index = "ix_hotlist_entries_hotlist_id_plate_region";

    [Fact]
    public async Task The_same_plate_with_the_same_details_again_answers_the_existing_entry_and_lists_it_once()
    {
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        using var analyst = app.AdminClient();
        var entry = new { plate, region = "DC", reason = "Stolen", reference = "NIC/V1" };

        var first = await analyst.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries", entry);
        var again = await analyst.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries", entry);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var (made, answered) = (await first.ReadJsonAsync(), await again.ReadJsonAsync());
        Assert.Equal(made["id"]!.GetValue<Guid>(), answered["id"]!.GetValue<Guid>());
        Assert.True(answered["alreadyListed"]!.GetValue<bool>());
        Assert.Equal([plate], await app.EntriesAsync(list));
    }

    [Fact]
    public async Task The_same_plate_with_other_details_is_refused_with_409_naming_the_entry_and_writes_nothing()
    {
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        var listed = await app.AddEntryAsync(list, plate, "DC", "Stolen");
        var before = await app.RowsAsync("plates", "audit");
        using var analyst = app.AdminClient();

        var response = await analyst.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries", new { plate, region = "DC", reason = "Wanted" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(listed["id"]!.GetValue<Guid>().ToString(), (await response.ReadJsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync("plates", "audit")));
    }

    [Fact]
    public async Task The_same_plate_in_another_region_or_after_withdrawal_is_a_new_entry()
    {
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        var dc = await app.AddEntryAsync(list, plate, "DC");
        await app.AddEntryAsync(list, plate, "MD");
        using var analyst = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await analyst.DeleteAsync($"api/v1/plates/hotlists/entries/{dc["id"]}")).StatusCode);

        var relisted = await app.AddEntryAsync(list, plate, "DC", "Seen again");

        Assert.NotEqual(dc["id"]!.GetValue<Guid>(), relisted["id"]!.GetValue<Guid>());
        Assert.Equal([plate, plate], await app.EntriesAsync(list));
    }

    [Fact]
    public async Task Concurrent_requests_listing_the_same_plate_list_it_once()
    {
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var analyst = app.AdminClient();
            return (await analyst.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries", new { plate, region = "VA" })).StatusCode;
        }));

        Assert.Single(statuses, s => s == HttpStatusCode.Created);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.OK, $"{s}"));
        Assert.Equal([plate], await app.EntriesAsync(list));
    }

    [Fact]
    public async Task A_list_that_already_holds_a_repeat_imports_and_commits_again_once_the_migration_has_withdrawn_it()
    {
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        var kept = (await app.AddEntryAsync(list, plate, "DC"))["id"]!.GetValue<Guid>();
        var definition = await ScalarAsync<string>($"SELECT indexdef FROM pg_indexes WHERE schemaname = 'plates' AND indexname = '{Index}'");
        try
        {
            // Data from before the fix: the same plate twice on the list (possible only without the index).
            await app.ExecuteAsync($"DROP INDEX plates.{Index}");
            await app.ExecuteAsync($"""
                INSERT INTO plates.hotlist_entries (id, hotlist_id, plate, region, added_at)
                VALUES ('{Guid.CreateVersion7()}', '{list}', '{plate}', 'DC', now() + interval '1 second')
                """);
            Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}' AND withdrawn_at IS NULL"));

            await app.ExecuteAsync(UniqueActiveHotlistPlates.WithdrawRepeats);
            await app.ExecuteAsync(definition);   // the index can be built again: no repeat is left
        }
        finally
        {
            if (await app.CountAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = 'plates' AND indexname = '{Index}'") == 0)
            {
                await app.ExecuteAsync(UniqueActiveHotlistPlates.WithdrawRepeats);
                await app.ExecuteAsync(definition);
            }
        }
        Assert.Equal(kept, await ScalarAsync<Guid>($"SELECT id FROM plates.hotlist_entries WHERE hotlist_id = '{list}' AND withdrawn_at IS NULL"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}' AND withdrawn_at IS NOT NULL"));

        using var analyst = app.AdminClient();
        var other = HotlistKit.Plate();
        var import = await analyst.PostAsync($"api/v1/plates/hotlists/{list}/import",
            new StringContent($"plate,region\n{plate},DC\n{other},DC\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(new[] { plate, other }.Order(), (await app.EntriesAsync(list)).Order());

        var started = (await (await analyst.PostAsync($"api/v1/plates/hotlists/{list}/imports", null)).ReadJsonAsync())["importId"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsJsonAsync($"api/v1/plates/hotlists/imports/{started}/lines",
            new { header = "plate,region", firstLine = 2, lines = new[] { $"{plate},DC" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsync($"api/v1/plates/hotlists/imports/{started}/commit", null)).StatusCode);
        Assert.Equal([plate], await app.EntriesAsync(list));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var db = new NpgsqlConnection(app.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
