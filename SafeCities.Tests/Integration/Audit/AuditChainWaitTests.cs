using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;

namespace SafeCities.Tests.Integration.Audit;

/// <summary>
/// The audit chain's append lock (ADR 0046) is held from an entry's insert to its transaction's commit. A look-up writes its audit entry
/// after reading, so that a search waiting on the database (a slow query, a lock) never holds up everybody else's audit entries.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AuditChainWaitTests(AppFixture app)
{
    [Fact]
    public async Task A_search_waiting_on_the_database_does_not_hold_up_anybody_elses_audited_change()
    {
        using var admin = app.AdminClient();
        var (lat, lon) = Api.Place();
        var purpose = "audit wait " + Guid.NewGuid().ToString("N")[..8];
        await using var blocker = new NpgsqlConnection(app.ConnectionString);
        await blocker.OpenAsync();
        var hold = await blocker.BeginTransactionAsync();
        Task<HttpResponseMessage>? colocation = null;
        try
        {
            // The co-location reads plates.readers first: while this transaction holds the table, the search waits inside its own transaction.
            await using (var lockReaders = new NpgsqlCommand("LOCK TABLE plates.readers IN ACCESS EXCLUSIVE MODE", blocker, hold))
                await lockReaders.ExecuteNonQueryAsync();
            colocation = admin.PostAsJsonAsync("api/v1/plates/colocation", new
            {
                incidents = new[] { new { latitude = lat, longitude = lon, occurredAt = DateTimeOffset.UtcNow.AddMinutes(-5) },
                                    new { latitude = lat + 0.01, longitude = lon, occurredAt = DateTimeOffset.UtcNow.AddMinutes(-2) } },
                radiusMeters = 300, windowMinutes = 15, minIncidents = 2, purpose, caseNumber = Stated.CaseNumber, offence = Stated.Offence,
            });
            var waiting = Stopwatch.StartNew();
            while (await app.CountAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%coloc_near%'") == 0)
            {
                Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(20), "the co-location never reached the locked table");
                Assert.False(colocation.IsCompleted, "the co-location answered without reading the locked table");
                await Task.Delay(50);
            }

            // Meanwhile an administrator's audited change goes through at once.
            var email = $"audit-wait-{Guid.NewGuid():N}@safecities.test";
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var created = await admin.PostAsJsonAsync("api/v1/users", new { email, role = Roles.Officer }, patience.Token);
            Assert.True(created.IsSuccessStatusCode, $"creating a user answered {(int)created.StatusCode}");
            Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'user-create' AND details->>'email' = '{email}'"));
            Assert.False(colocation.IsCompleted);
        }
        finally
        {
            await hold.RollbackAsync();
        }

        // The search then finishes, and is audited with its purpose.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await colocation!).StatusCode);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'colocation' AND purpose = '{purpose}'"));
    }
}
