using Mediator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Platform.Demo;
using SafeCities.Tests.Integration.Lighting;

namespace SafeCities.Tests.Integration;

/// <summary>
/// The demo city's patrol units attend the gunshot incidents nobody took, through the same commands as an officer's phone, and never one a
/// person took.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DemoResponderTests(AppFixture app)
{
    [Fact]
    public async Task Demo_units_acknowledge_a_gunshot_incident_left_open_and_close_it_later_with_an_outcome_but_leave_a_persons_alone()
    {
        var start = DateTimeOffset.UtcNow;
        var (a, b) = (Api.Place(), Api.Place());
        var left = await app.PostGunshotAsync(a.Lat, a.Lon);
        var taken = await app.PostGunshotAsync(b.Lat, b.Lon);
        using (var admin = app.AdminClient())
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"api/v1/incidents/{taken}/acknowledge", null)).StatusCode);
        var person = await StateAsync(taken);

        // The app stamps with its own clock; the responder reads its own, set here to each moment that matters, measured from the stamp it
        // follows. Not before three minutes open, then a unit acknowledges it; not before ten minutes acknowledged, then the same unit closes it
        // with one of a gunshot's outcomes.
        var opened = await StateAsync(left);
        var clock = new FakeTimeProvider(start);
        var responder = new DemoResponder(app.Services.GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<DemoResponder>.Instance,
            attendsFrom: opened.OpenedAt);   // not other tests' incidents (a gunshot's incident opens at the shot, a few seconds before it is posted)
        async Task<State> AtAsync(DateTimeOffset at)
        {
            clock.SetUtcNow(at);
            await app.InScopeAsync(async sp => { await responder.AttendAsync(sp.GetRequiredService<ISender>(), CancellationToken.None); return 0; });
            return await StateAsync(left);
        }

        var waiting = await AtAsync(opened.OpenedAt + TimeSpan.FromSeconds(170));
        Assert.Equal((IncidentStatus.Open, (string?)null), (waiting.Status, waiting.By));
        var acknowledged = await AtAsync(opened.OpenedAt + TimeSpan.FromSeconds(180));
        Assert.Equal(IncidentStatus.Acknowledged, acknowledged.Status);
        Assert.Contains(acknowledged.By, DemoResponder.Units);
        var stillAcknowledged = await AtAsync(acknowledged.AcknowledgedAt!.Value + TimeSpan.FromSeconds(590));
        Assert.Equal((IncidentStatus.Acknowledged, acknowledged.By), (stillAcknowledged.Status, stillAcknowledged.By));
        var closed = await AtAsync(acknowledged.AcknowledgedAt!.Value + TimeSpan.FromSeconds(600));
        Assert.Equal((IncidentStatus.Closed, acknowledged.By), (closed.Status, closed.By));
        Assert.Contains(closed.Outcome, new[] { "gunfire-found", "no-evidence", "other-sound" });

        // The incident a person acknowledged is theirs: the same as before, after all those rounds.
        Assert.Equal(person, await StateAsync(taken));
    }

    private sealed record State(string Status, string? By, string? Outcome, DateTimeOffset OpenedAt, DateTimeOffset? AcknowledgedAt);

    private async Task<State> StateAsync(Guid id)
    {
        var i = (await app.SendAsync(new GetIncidentQuery(id, WithTimeline: false)))!.Incident;
        return new State(i.Status, i.ClosedBy ?? i.AcknowledgedBy, i.Outcome, i.OpenedAt, i.AcknowledgedAt);
    }
}
