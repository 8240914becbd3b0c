using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Mediator;
using Microsoft.AspNetCore.SignalR.Client;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Integration;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RealtimeTests(AppFixture app)
{
    private HubConnection Connect(string? key, HttpTransportType transport = HttpTransportType.WebSockets) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/incidents"), o =>
            {
                o.Transports = transport;
                if (key is not null)
                    o.Headers["X-Api-Key"] = key;
            })
            .Build();

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task A_new_incident_and_its_changes_are_pushed_to_connected_boards(HttpTransportType transport)
    {
        var incidents = Channel.CreateUnbounded<JsonElement>();
        var timeline = Channel.CreateUnbounded<JsonElement>();
        await using var hub = Connect(await app.CreateClientKeyAsync(Roles.Commander), transport);
        hub.On<JsonElement>("IncidentChanged", i => incidents.Writer.TryWrite(i));
        hub.On<JsonElement>("TimelineAppended", t => timeline.Writer.TryWrite(t));
        await hub.StartAsync();

        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var posted = await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, rounds: 6));
        var id = (await posted.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();

        var opened = await NextAsync(incidents, i => i.GetProperty("id").GetGuid() == id);
        Assert.Equal("open", opened.GetProperty("status").GetString());
        Assert.Equal(6, opened.GetProperty("rounds").GetInt32());
        Assert.Equal(lat, opened.GetProperty("latitude").GetDouble(), 6);
        var entry = await NextAsync(timeline, t => t.GetProperty("incidentId").GetGuid() == id);
        Assert.Equal("IncidentOpened", entry.GetProperty("kind").GetString());

        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        await commander.PostAsync($"api/v1/incidents/{id}/acknowledge", null);
        var changed = await NextAsync(incidents, i => i.GetProperty("id").GetGuid() == id);
        Assert.Equal("acknowledged", changed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_hub_refuses_anonymous_and_device_connections()
    {
        await using var anonymous = Connect(null);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        var (_, deviceKey) = await app.RegisterDeviceAsync(DeviceKinds.Camera);
        await using var device = Connect(deviceKey);
        var denied = await Assert.ThrowsAsync<HttpRequestException>(() => device.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Partner_roles_may_connect_for_their_notices_but_receive_no_incidents()
    {
        var staffIncidents = Channel.CreateUnbounded<JsonElement>();
        var judgeNotices = Channel.CreateUnbounded<JsonElement>();
        var judgeIncidents = Channel.CreateUnbounded<JsonElement>();
        await using var staff = Connect(await app.CreateClientKeyAsync(Roles.Analyst));
        staff.On<JsonElement>("IncidentChanged", i => staffIncidents.Writer.TryWrite(i));
        await staff.StartAsync();
        var judge = await app.CreateUserAsync(Roles.Judge);
        await using var judgeBoard = await app.BoardAsync(judge, judgeNotices);
        judgeBoard.On<JsonElement>("IncidentChanged", i => judgeIncidents.Writer.TryWrite(i));
        judgeBoard.On<JsonElement>("TimelineAppended", t => judgeIncidents.Writer.TryWrite(t));

        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var id = (await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        await NextAsync(staffIncidents, i => i.GetProperty("id").GetGuid() == id);

        // Then a notice addressed to the judge (as supervising officer): one connection gets its messages in the order they were sent, so had the
        // incident gone to the judge too, it would have arrived before this notice.
        var notice = Guid.NewGuid();
        var releasedAt = new DateTimeOffset(2026, 7, 1, 16, 0, 0, TimeSpan.Zero);
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IPublisher>().Publish(new ReoffenderReleasedEvent(notice, Guid.NewGuid(), "Test Person", null, releasedAt,
                "Central Detention Facility", "jail", null, null, judge, ["watchlist: test"], []));
            return true;
        });
        var received = await NextAsync(judgeNotices, n => n.GetProperty("id").GetGuid() == notice);
        // One clock: the release time in the city's zone, labelled (16:00 UTC is noon in New York in July), never UTC.
        Assert.Contains(" at 2026-07-01 12:00 EDT: ", received.GetProperty("text").GetString());
        Assert.False(judgeIncidents.Reader.TryRead(out var leaked), $"a judge's connection received incident traffic: {leaked}");
    }

    private static async Task<JsonElement> NextAsync(Channel<JsonElement> channel, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var item = await channel.Reader.ReadAsync(timeout.Token);
            if (match(item))
                return item;
        }
    }
}
