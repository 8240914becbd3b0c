using System.Text.Json;
using System.Threading.Channels;
using SafeCities.Modules.Shared.Outbox;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>Release notices go to the district of the last known address, the supervising officer and administrators/commanders — nobody else.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReleaseTargetingTests(AppFixture app)
{
    private static object Booking(string id, string start, string? end) =>
        new { kind = "booking", sourceId = id, personSourceId = "P", facility = "Central Detention Facility", startedAt = start, endedAt = end };

    [Fact]
    public async Task The_district_officer_and_the_supervising_officer_are_notified_and_an_officer_of_another_district_is_not()
    {
        var district = Unique("d");
        var here = await app.CreateUserAsync(Roles.Officer, district);
        var elsewhere = await app.CreateUserAsync(Roles.Officer, Unique("d"));
        var supervisor = await app.CreateUserAsync(Roles.Officer);
        var commander = await app.CreateUserAsync(Roles.Commander);
        var (hereNotices, elsewhereNotices, supervisorNotices, commanderNotices) =
            (Channel.CreateUnbounded<JsonElement>(), Channel.CreateUnbounded<JsonElement>(), Channel.CreateUnbounded<JsonElement>(), Channel.CreateUnbounded<JsonElement>());
        await using var hereHub = await app.BoardAsync(here, hereNotices);
        await using var elsewhereHub = await app.BoardAsync(elsewhere, elsewhereNotices);
        await using var supervisorHub = await app.BoardAsync(supervisor, supervisorNotices);
        await using var commanderHub = await app.BoardAsync(commander, commanderNotices);

        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var (_, parole) = await app.RegisterAgencyAsync("parole-probation");
        var last = Unique("Target");
        var person = PersonIdOf(await app.PushOkAsync(jail, Person("P", "Ivan", last, "1971-03-03", address: "1 Main St", district: district),
            Booking("B1", "2015-01-01T00:00:00Z", "2016-01-01T00:00:00Z"), Booking("B2", "2024-01-01T00:00:00Z", null)), "P");
        await app.PushOkAsync(parole, Person("P", "Ivan", last, "1971-03-03"),
            new { kind = "supervision", sourceId = "S", personSourceId = "P", startedAt = "2016-01-01T00:00:00Z", supervisingOfficer = supervisor.ToUpperInvariant(), status = "parole" });
        await app.PushOkAsync(jail, Booking("B2", "2024-01-01T00:00:00Z", "2025-05-05T12:00:00Z"));

        bool Mine(JsonElement n) => n.GetProperty("personId").GetGuid() == person && n.GetProperty("text").GetString()!.Contains("2025-05-05");
        var notice = await hereNotices.NextAsync(Mine);
        Assert.Equal(district, notice.GetProperty("district").GetString());
        await supervisorNotices.NextAsync(Mine);
        await commanderNotices.NextAsync(Mine);
        await Task.Delay(1000);   // the same push reached the others by now; the officer of another district got nothing about this person
        while (elsewhereNotices.Reader.TryRead(out var other))
            Assert.NotEqual(person, other.GetProperty("personId").GetGuid());
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM audit.entries WHERE action = 'set-user-district' AND details->>'email' = '{here}' AND details->>'district' = '{district}'"));
    }

    [Fact]
    public async Task A_notification_stored_but_never_dispatched_is_re_sent_by_the_recurring_job()
    {
        var district = Unique("d");
        var officer = await app.CreateUserAsync(Roles.Officer, district);
        var notices = Channel.CreateUnbounded<JsonElement>();
        await using var hub = await app.BoardAsync(officer, notices);
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var last = Unique("Crash");
        var person = PersonIdOf(await app.PushOkAsync(jail, Person("P", "Kurt", last, "1966-06-16", district: district),
            Booking("B1", "2015-01-01T00:00:00Z", "2016-01-01T00:00:00Z"), Booking("B2", "2024-01-01T00:00:00Z", "2025-07-07T07:00:00Z")), "P");
        var first = await notices.NextAsync(n => n.GetProperty("personId").GetGuid() == person);
        var id = first.GetProperty("id").GetGuid();
        Assert.Equal(1, await app.CountEventuallyAsync($"SELECT count(*) FROM intelligence.outbox_messages WHERE id = '{id}' AND dispatched_at IS NOT NULL", 1));

        // The process died after commit and before publishing: the notice's outbox message is there, not dispatched, and due.
        await app.CountAsync($"UPDATE intelligence.outbox_messages SET dispatched_at = NULL, next_attempt_at = now() - interval '1 minute' WHERE id = '{id}'");
        var resent = await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(CancellationToken.None));
        Assert.True(resent >= 1);
        var again = await notices.NextAsync(n => n.GetProperty("id").GetGuid() == id);
        Assert.Equal(district, again.GetProperty("district").GetString());
        Assert.Contains("recidivism: 2 bookings", again.GetProperty("text").GetString());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.outbox_messages WHERE id = '{id}' AND dispatched_at IS NOT NULL AND attempts = 2"));

        // dispatched now: the next sweep leaves it alone (not delivered a third time), and no notice about it comes before a later one
        await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(CancellationToken.None));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.outbox_messages WHERE id = '{id}' AND attempts = 2"));
        var later = PersonIdOf(await app.PushOkAsync(jail, Person("Q", "Lena", Unique("After"), "1970-07-17", district: district),
            new { kind = "booking", sourceId = "Q1", personSourceId = "Q", facility = "Central Detention Facility", startedAt = "2015-01-01T00:00:00Z", endedAt = "2016-01-01T00:00:00Z" },
            new { kind = "booking", sourceId = "Q2", personSourceId = "Q", facility = "Central Detention Facility", startedAt = "2024-01-01T00:00:00Z", endedAt = "2025-08-08T08:00:00Z" }), "Q");
        var before = new List<JsonElement>();
        await notices.NextAsync(n =>
        {
            before.Add(n);
            return n.GetProperty("personId").GetGuid() == later;
        });
        Assert.DoesNotContain(before, n => n.GetProperty("id").GetGuid() == id);
    }
}
