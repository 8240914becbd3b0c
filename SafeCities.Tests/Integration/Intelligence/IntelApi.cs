using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using SafeCities.Modules.Platform.Identity;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>Partner agencies and their feeds, the way an administrator and an agency's records system would use the API.</summary>
public static class IntelApi
{
    /// <summary>A letters-only suffix (always 6 letters, one per hex digit: 0–9 → a–j, a–f → k–p) so that each test's people are nobody else's near-duplicates.</summary>
    public static string Unique(string stem) =>
        stem + new string(Guid.NewGuid().ToString("N").Take(6).Select(c => char.IsDigit(c) ? (char)('a' + (c - '0')) : (char)('k' + (c - 'a'))).ToArray());

    public static async Task<(Guid Id, string FeedKey)> RegisterAgencyAsync(this AppFixture app, string kind, int? releaseHotlistDays = null)
    {
        using var admin = app.AdminClient();
        var created = await admin.PostAsJsonAsync("api/v1/intelligence/agencies", new { name = Unique($"{kind} agency "), kind, releaseHotlistDays });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<Guid>();
        var key = await admin.PostAsJsonAsync($"api/v1/agencies/{id}/api-keys", new { name = "records feed" });
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        return (id, (await key.ReadJsonAsync())["apiKey"]!.GetValue<string>());
    }

    public static async Task<HttpResponseMessage> PushAsync(this AppFixture app, string feedKey, params object[] records)
    {
        using var feed = app.Client(feedKey);
        return await feed.PostAsJsonAsync("api/v1/intelligence/records", new { records });
    }

    public static async Task<JsonNode> PushOkAsync(this AppFixture app, string feedKey, params object[] records)
    {
        var response = await app.PushAsync(feedKey, records);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"push failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public static object Person(string sourceId, string first, string last, string? dob, string[]? aliases = null, object? identifiers = null,
        string? address = null, string? district = null) =>
        new { kind = "person", sourceId, person = new { firstName = first, lastName = last, dateOfBirth = dob, aliases, identifiers, address, district } };

    public static Guid PersonIdOf(JsonNode result, string sourceId) =>
        result["records"]!.AsArray().Single(r => r!["sourceId"]!.GetValue<string>() == sourceId)!["personId"]!.GetValue<Guid>();

    /// <summary>A new user of the given role (demo password), with a district set through the admin endpoint when given.</summary>
    public static async Task<string> CreateUserAsync(this AppFixture app, string role, string? district = null)
    {
        var email = $"{Unique("user")}@safecities.test".ToLowerInvariant();
        await app.InScopeAsync(async sp => await sp.GetRequiredService<IdentitySeeder>().EnsureUserAsync(email, AppFixture.DemoPassword, role));
        if (district is not null)
        {
            using var admin = app.AdminClient();
            var set = await admin.PutAsJsonAsync($"api/v1/users/{email}/district", new { district });
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        }
        return email;
    }

    /// <summary>Signs <paramref name="email"/> in (cookie and page token, as a browser) and connects to the incident hub, collecting officer notices.</summary>
    public static async Task<HubConnection> BoardAsync(this AppFixture app, string email, Channel<JsonElement> notices)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies }) { BaseAddress = app.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, AppFixture.DemoPassword)).StatusCode);
        var token = await Browserless.PageTokenAsync(client);   // negotiation is a POST: the page's token goes with it, as site.js sends it
        var hub = new HubConnectionBuilder().WithUrl(new Uri(app.BaseAddress, "hubs/incidents"), o =>
        {
            o.Cookies = cookies;
            o.Headers[Browserless.PageTokenHeader] = token;
        }).Build();
        hub.On<JsonElement>("OfficerNotified", n => notices.Writer.TryWrite(n));
        await hub.StartAsync();
        return hub;
    }

    /// <summary>The next notice that matches, within 15 seconds.</summary>
    public static async Task<JsonElement> NextAsync(this Channel<JsonElement> channel, Func<JsonElement, bool> match, int seconds = 15)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            var item = await channel.Reader.ReadAsync(timeout.Token);
            if (match(item))
                return item;
        }
    }
}
