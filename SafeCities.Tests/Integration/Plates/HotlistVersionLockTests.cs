using Npgsql;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// The hotlist version row (ADR 0057) is locked before a statement changes any list or entry: two transactions editing the same
/// entries in opposite orders wait for each other at their first change and both commit, instead of one being cancelled as a deadlock.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistVersionLockTests(AppFixture app)
{
    [Fact]
    public async Task Two_edits_of_the_same_entries_in_opposite_orders_wait_for_each_other_and_both_commit()
    {
        var list = await app.CreateHotlistAsync();
        var a = (await app.AddEntryAsync(list, HotlistKit.Plate()))["id"]!.GetValue<Guid>();
        var b = (await app.AddEntryAsync(list, HotlistKit.Plate()))["id"]!.GetValue<Guid>();
        await using var first = new NpgsqlConnection(app.ConnectionString);
        await using var second = new NpgsqlConnection(app.ConnectionString);
        await first.OpenAsync();
        await second.OpenAsync();
        await using var one = await first.BeginTransactionAsync();
        await using var two = await second.BeginTransactionAsync();
        static async Task<int> EditAsync(NpgsqlTransaction t, Guid entry, string reason)
        {
            await using var edit = new NpgsqlCommand("UPDATE plates.hotlist_entries SET reason = $1 WHERE id = $2", t.Connection, t)
            {
                Parameters = { new() { Value = reason }, new() { Value = entry } },
            };
            return await edit.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, await EditAsync(one, a, "first: a"));
        var secondOnB = EditAsync(two, b, "second: b");
        // The second waits on a lock — the version row, so it holds nothing of b yet.
        var waiting = 0L;
        for (var i = 0; i < 100 && waiting == 0; i++, await Task.Delay(50))
            waiting = await app.CountAsync($"SELECT count(*) FROM pg_stat_activity WHERE pid = {second.ProcessID} AND wait_event_type = 'Lock'");
        Assert.Equal(1, waiting);
        Assert.False(secondOnB.IsCompleted);
        // The first now edits b: with the second holding b this would be a deadlock (one cancelled after deadlock_timeout).
        Assert.Equal(1, await EditAsync(one, b, "first: b"));
        await one.CommitAsync();
        Assert.Equal(1, await secondOnB);
        Assert.Equal(1, await EditAsync(two, a, "second: a"));
        await two.CommitAsync();
        Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE id IN ('{a}', '{b}') AND reason LIKE 'second: %'"));
    }
}
