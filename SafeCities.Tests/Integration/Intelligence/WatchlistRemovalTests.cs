using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WatchlistRemovalTests(AppFixture app)
{
    private static object Release(string person) =>
        new { kind = "booking", sourceId = $"B-{person}", personSourceId = person, facility = "Jail", startedAt = "2024-01-01T00:00:00Z", endedAt = "2024-06-01T00:00:00Z" };

    [Fact]
    public async Task A_removed_entry_is_kept_audited_left_out_of_the_list_and_no_longer_raises_release_notices()
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var kept = PersonIdOf(await app.PushOkAsync(jail, Person("K", "Kim", Unique("Kept"), "1979-02-02")), "K");
        var dropped = PersonIdOf(await app.PushOkAsync(jail, Person("D", "Dee", Unique("Dropped"), "1983-04-04")), "D");
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        async Task<Guid> WatchAsync(Guid person)
        {
            var added = await analyst.PostAsJsonAsync("api/v1/intelligence/watchlist", new { name = Unique("Task force "), personId = person });
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
            return (await added.ReadJsonAsync())["id"]!.GetValue<Guid>();
        }
        await WatchAsync(kept);
        var entry = await WatchAsync(dropped);

        var removed = await analyst.DeleteAsync($"api/v1/intelligence/watchlist/{entry}");

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var body = await removed.ReadJsonAsync();
        Assert.NotNull(body["removedAt"]);
        Assert.False(string.IsNullOrEmpty(body["removedBy"]!.GetValue<string>()));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.watchlist WHERE id = '{entry}' AND removed_at IS NOT NULL"));
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM audit.entries WHERE module = 'Intelligence' AND action = 'remove-watchlist-entry' AND details->>'id' = '{entry}'"));
        var list = (await (await analyst.GetAsync("api/v1/intelligence/watchlist")).ReadJsonAsync()).AsArray();
        Assert.DoesNotContain(list, e => e!["id"]!.GetValue<Guid>() == entry);

        await app.PushOkAsync(jail, Release("K"), Release("D"));

        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.release_notifications WHERE person_id = '{kept}'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.release_notifications WHERE person_id = '{dropped}'"));

        var again = await analyst.DeleteAsync($"api/v1/intelligence/watchlist/{entry}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'remove-watchlist-entry' AND details->>'id' = '{entry}'"));
    }

    [Fact]
    public async Task Removing_an_unknown_or_empty_id_is_a_problem_not_a_crash_and_officers_may_not_remove()
    {
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));

        var unknown = await analyst.DeleteAsync($"api/v1/intelligence/watchlist/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var empty = await analyst.DeleteAsync($"api/v1/intelligence/watchlist/{Guid.Empty}");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("entryId", (await empty.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.DeleteAsync("api/v1/intelligence/watchlist/not-a-guid")).StatusCode);

        var added = await (await analyst.PostAsJsonAsync("api/v1/intelligence/watchlist", new { name = "stays", plate = "RM" + Unique("")[..5].ToUpperInvariant() })).ReadJsonAsync();
        using var officer = app.Client(await app.CreateClientKeyAsync(Roles.Officer));
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.DeleteAsync($"api/v1/intelligence/watchlist/{added["id"]}")).StatusCode);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.watchlist WHERE id = '{added["id"]}' AND removed_at IS NULL"));
    }
}
