using System.Text.RegularExpressions;

namespace SafeCities.Tests.Infrastructure;

/// <summary>Signs in through the real login form (antiforgery token included), as a browser would.</summary>
public static partial class Browserless
{
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("Account/Login");
        var token = Token().Match(form).Groups[1].Value;
        return await client.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>
    /// A client signed in with the session cookie. With <paramref name="pageToken"/> it also sends the antiforgery token of the pages
    /// (as their scripts do); without it, a change through the API is refused.
    /// </summary>
    public static async Task<HttpClient> SignedInAsync(this AppFixture app, string email, bool pageToken = false)
    {
        var client = app.Client();
        var response = await client.SignInAsync(email, AppFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return pageToken ? await client.SendsPageTokenAsync() : client;
    }

    /// <summary>From now on the client sends the antiforgery token a page gives its scripts (the layout's meta tag), as the pages do.</summary>
    public static async Task<HttpClient> SendsPageTokenAsync(this HttpClient client)
    {
        client.DefaultRequestHeaders.Remove(PageTokenHeader);
        client.DefaultRequestHeaders.Add(PageTokenHeader, await PageTokenAsync(client));
        return client;
    }

    /// <summary>The token the layout gives the page's scripts for the signed-in person (any page shows it; the password page is open to every person).</summary>
    public static async Task<string> PageTokenAsync(HttpClient client)
    {
        var token = MetaToken().Match(await client.GetStringAsync("Me/Password")).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "the layout shows no antiforgery token");
        return token;
    }

    public const string PageTokenHeader = "RequestVerificationToken";

    /// <summary>Posts a page's form with the antiforgery token taken from the page, as a browser would; the page must answer 200 (it shows itself again).</summary>
    public static async Task<string> PostFormAsync(this HttpClient client, string path, IEnumerable<KeyValuePair<string, string>> form)
    {
        var page = await client.GetStringAsync(path.Split('?')[0]);
        var response = await client.PostAsync(path, new FormUrlEncodedContent([.. form, new("__RequestVerificationToken", Token().Match(page).Groups[1].Value)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// A signed-in person replaces the one-time password they signed in with (required before anything else) by a password of their own,
    /// through the page; returns the new password.
    /// </summary>
    public static async Task<string> ReplaceOneTimePasswordAsync(this HttpClient client, string oneTime)
    {
        var page = await client.GetStringAsync("Me/Password");
        var own = oneTime + "-Own1";
        var response = await client.PostAsync("Me/Password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = oneTime, ["Input.NewPassword"] = own, ["Input.ConfirmPassword"] = own, ["__RequestVerificationToken"] = AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return own;
    }

    /// <summary>The antiforgery token of a page's form.</summary>
    public static string AntiforgeryToken(string html) => Token().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<meta name=\"request-verification-token\" content=\"([^\"]+)\"")]
    private static partial Regex MetaToken();
}
