using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Subscribers;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>Helpers for public-alert subscriber tests: subscribers confirmed through their own confirmation message, alerts issued by two
/// commanders, the delivery sender run by hand, and what the simulated drivers recorded.</summary>
internal static partial class SubscriberKit
{
    private static int nextPhone;

    public static string NewPhone() => "+1202" + (5_000_000 + Interlocked.Increment(ref nextPhone) * 7 + Random.Shared.Next(0, 7)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static SubscriberAreaInput Circle(double lat, double lon, double radius) => new(lat, lon, radius, null);

    public static SubscriberAreaInput Polygon(params (double Lat, double Lon)[] corners) => new(null, null, null, [.. corners.Select(c => new GeoPointDto(c.Lat, c.Lon))]);

    /// <summary>The point <paramref name="meters"/> from (lat, lon) along <paramref name="bearing"/> (degrees).</summary>
    public static (double Lat, double Lon) At(double lat, double lon, double meters, double bearing) => GeoMath.Offset(lat, lon, meters, bearing);

    /// <summary>Signs up over SMS (simulated driver) and, unless told not to, confirms with the token of the confirmation message it recorded.</summary>
    public static async Task<Guid> SmsSubscriberAsync(this AppFixture app, bool confirm = true, string language = "en", params SubscriberAreaInput[] areas)
    {
        var requested = await app.SendAsync(s => s.Send(new SubscribeToAlertsCommand("sms", NewPhone(), language, areas, app.BaseAddress.ToString())));
        if (confirm)
        {
            var text = await app.ScalarTextAsync($"SELECT text FROM alerts.alert_simulated_deliveries WHERE message_id = '{Guid.Empty}' AND subscriber_id = '{requested.Id}'");
            Assert.True(await app.SendAsync(s => s.Send(new ConfirmAlertSubscriptionCommand(ConfirmToken(text)))));
        }
        return requested.Id;
    }

    public static string ConfirmToken(string text) => Link(text, "confirm");

    public static string UnsubscribeToken(string text) => Link(text, "unsubscribe");

    private static string Link(string text, string kind)
    {
        var m = Regex.Match(text, $"/alerts/{kind}/([A-Za-z0-9_-]{{43}})");
        Assert.True(m.Success, $"no {kind} link in: {text}");
        return m.Groups[1].Value;
    }

    public static async Task<string> ScalarTextAsync(this AppFixture app, string sql)
    {
        await using var db = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, db);
        return (string)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("no row: " + sql));
    }

    /// <summary>An alert over a polygon (or a circle), drafted by one commander and approved by another; the issued message's id.</summary>
    public static async Task<Guid> IssueAlertAsync(this AppFixture app, (double Lat, double Lon)[]? polygon = null, (double Lat, double Lon, double Radius)? circle = null,
        string headline = "Armed suspect in the area")
    {
        using var author = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        using var reviewer = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var content = new
        {
            @event = "Armed suspect", category = "Security", severity = "Severe", urgency = "Immediate", certainty = "Observed", responseType = "Shelter",
            expires = DateTimeOffset.UtcNow.AddHours(2), areaDescription = "Test area",
            circleLatitude = circle?.Lat, circleLongitude = circle?.Lon, circleRadiusMeters = circle?.Radius,
            polygon = polygon?.Select(p => new { latitude = p.Lat, longitude = p.Lon }).ToArray(),
            headlineEn = headline, instructionEn = "Stay indoors.", headlineEs = "Sospechoso armado en la zona", instructionEs = "Permanezca adentro.",
        };
        var drafted = await author.PostAsJsonAsync("api/v1/public-alerts", new { content });
        Assert.True(drafted.StatusCode == HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var id = (await drafted.ReadJsonAsync())["id"]!.ToString();
        var approved = await reviewer.PostAsync($"api/v1/public-alerts/{id}/approve", null);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        return Guid.Parse(id);
    }

    /// <summary>An Update of an issued alert, moved to <paramref name="polygon"/>, drafted and approved by two other commanders; its message id.</summary>
    public static async Task<Guid> UpdateAlertAsync(this AppFixture app, Guid issued, (double Lat, double Lon)[] polygon)
    {
        using var author = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        using var reviewer = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var content = new
        {
            @event = "Armed suspect", category = "Security", severity = "Severe", urgency = "Immediate", certainty = "Observed", responseType = "Shelter",
            expires = DateTimeOffset.UtcNow.AddHours(2), areaDescription = "Moved area", circleLatitude = (double?)null, circleLongitude = (double?)null,
            circleRadiusMeters = (double?)null, polygon = polygon.Select(p => new { latitude = p.Lat, longitude = p.Lon }).ToArray(),
            headlineEn = "The suspect moved north", instructionEn = "Stay indoors.", headlineEs = "El sospechoso se movió", instructionEs = "Permanezca adentro.",
        };
        var drafted = await author.PostAsJsonAsync($"api/v1/public-alerts/{issued}/update", new { content });
        Assert.True(drafted.StatusCode == HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var id = (await drafted.ReadJsonAsync())["id"]!.ToString();
        var approved = await reviewer.PostAsync($"api/v1/public-alerts/{id}/approve", null);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        return Guid.Parse(id);
    }

    /// <summary>A square polygon east of (lat, lon): its west edge <paramref name="westEdgeMeters"/> east of the point, 2 km wide and tall.</summary>
    public static (double Lat, double Lon)[] SquareEastOf(double lat, double lon, double westEdgeMeters)
    {
        var (_, west) = At(lat, lon, westEdgeMeters, 90);
        var (_, east) = At(lat, lon, westEdgeMeters + 2000, 90);
        var (north, _) = At(lat, lon, 1000, 0);
        var (south, _) = At(lat, lon, 1000, 180);
        return [(south, west), (south, east), (north, east), (north, west)];
    }

    /// <summary>Runs the delivery sender until nothing is due; the deliveries it claimed.</summary>
    public static async Task<int> DeliverAllAsync(this AppFixture app)
    {
        var total = 0;
        for (var round = 0; round < 1000; round++)
        {
            var claimed = await app.InScopeAsync(sp => sp.GetRequiredService<SubscriberDeliverySender>().DeliverDueAsync(CancellationToken.None));
            if (claimed == 0)
                return total;
            total += claimed;
        }
        throw new InvalidOperationException("deliveries never ran out");
    }

    public static Task<long> DeliveriesAsync(this AppFixture app, Guid message, string? state = null) =>
        app.CountAsync($"SELECT count(*) FROM alerts.alert_deliveries WHERE message_id = '{message}'" + (state is null ? "" : $" AND state = '{state}'"));
}

/// <summary>A minimal SMTP server on 127.0.0.1 (no TLS, no auth) that keeps every message it receives, parsed with MimeKit.</summary>
internal sealed class SmtpListener : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public List<MimeMessage> Messages { get; } = [];

    public SmtpListener(int port)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        loop = AcceptAsync();
    }

    public async Task<MimeMessage> WaitForAsync(Func<MimeMessage, bool> match, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            lock (Messages)
            {
                if (Messages.FirstOrDefault(match) is { } found)
                    return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("no such message arrived");
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost test SMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-localhost");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with .");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } l && l != ".")
                            data.Append(l.StartsWith("..", StringComparison.Ordinal) ? l[1..] : l).Append("\r\n");
                        var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString())));
                        lock (Messages)
                            Messages.Add(message);
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (ObjectDisposedException)
        {
        }
        stop.Dispose();
    }
}
