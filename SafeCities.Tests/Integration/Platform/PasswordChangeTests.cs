using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>A one-time password from an administrator must be replaced before anything else; the change is validated and audited.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PasswordChangeTests(AppFixture app)
{
    [Fact]
    public async Task A_one_time_password_opens_only_the_password_page_until_the_person_chooses_their_own()
    {
        var email = $"{IntelApi.Unique("pw")}@city.test";
        var oneTime = await app.CreateAccountAsync(email, Roles.Analyst);
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, oneTime)).StatusCode);

        var page = await client.GetAsync("Plates/Search?plate=AB*");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/Me/Password?returnUrl=%2FPlates%2FSearch%3Fplate%3DAB%2A", page.Headers.Location!.OriginalString);
        var api = await client.GetAsync("api/v1/incidents");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("one-time password", (await api.ReadJsonAsync())["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Transparency")).StatusCode);
        var form = await client.GetStringAsync("Me/Password?returnUrl=%2FPlates%2FHits");
        Assert.Contains("id=\"password-required\"", form);

        async Task<HttpResponseMessage> Change(string current, string next, string again) =>
            await client.PostAsync("Me/Password?returnUrl=%2FPlates%2FHits", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.CurrentPassword"] = current, ["Input.NewPassword"] = next, ["Input.ConfirmPassword"] = again,
                ["__RequestVerificationToken"] = Browserless.AntiforgeryToken(form), ["ReturnUrl"] = "/Plates/Hits",
            }));
        var wrongCurrent = await Change("not-the-password", "Brand-new-pass-1", "Brand-new-pass-1");
        Assert.Equal(HttpStatusCode.OK, wrongCurrent.StatusCode);
        Assert.Contains("Incorrect password", await wrongCurrent.Content.ReadAsStringAsync());
        var mismatch = await Change(oneTime, "Brand-new-pass-1", "Brand-new-pass-2");
        Assert.Contains("The two new passwords differ.", await mismatch.Content.ReadAsStringAsync());
        var weak = await Change(oneTime, "short", "short");
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("api/v1/incidents")).StatusCode);

        var done = await Change(oneTime, "Brand-new-pass-1", "Brand-new-pass-1");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/Plates/Hits", done.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Plates/Search")).StatusCode);

        using var later = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await later.SignInAsync(email, oneTime)).StatusCode);   // the one-time password is gone
        Assert.Equal(HttpStatusCode.Redirect, (await later.SignInAsync(email, "Brand-new-pass-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await later.GetAsync("api/v1/incidents")).StatusCode);
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'password-change' AND actor = '{email}' AND details::text NOT LIKE '%Brand-new%'
            """));
    }
}
