using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace SafeCities.Benchmarks;

/// <summary>
/// A person signed in to the app as a person is: the sign-in page's form with email and password, then the session cookie on every
/// request, and on a change (POST) the page's antiforgery token in the header the pages' scripts send. The search and co-location
/// benchmarks time an analyst's requests through it; the soak signs an administrator in with it to issue API client keys.
/// </summary>
internal sealed partial class BenchSession : IDisposable
{
    private const string TokenHeader = "RequestVerificationToken";
    public HttpClient Http { get; }
    private string? token;

    private BenchSession(HttpClient http) => Http = http;

    public static async Task<BenchSession> SignInAsync(Uri baseAddress, string email, string password)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };
        var session = new BenchSession(http);
        var login = await http.GetStringAsync("Account/Login");
        var signedIn = await http.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = password, ["__RequestVerificationToken"] = AntiforgeryToken(login),
        }));
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            session.Dispose();
            throw new InvalidOperationException($"{email} could not sign in: {(int)signedIn.StatusCode}");
        }
        return session;
    }

    /// <summary>The antiforgery token the layout of <paramref name="page"/> gives its scripts (fetched once), sent with every POST as they send it.</summary>
    public async Task UseTokenOfAsync(string page)
    {
        token = PageToken().Match(await Http.GetStringAsync(page)).Groups[1].Value;
        if (token.Length == 0)
            throw new InvalidOperationException($"{page} shows no antiforgery token");
    }

    /// <summary>POSTs <paramref name="body"/> as JSON with the session cookie and the antiforgery token (<see cref="UseTokenOfAsync"/>).</summary>
    public async Task<HttpResponseMessage> PostJsonAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(TokenHeader, token ?? throw new InvalidOperationException("No antiforgery token yet: call UseTokenOfAsync first."));
        return await Http.SendAsync(request);
    }

    /// <summary>The hidden antiforgery field of the first form in <paramref name="html"/>.</summary>
    public static string AntiforgeryToken(string html) => TokenField().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<meta name=\"request-verification-token\" content=\"([^\"]+)\"")]
    private static partial Regex PageToken();

    public void Dispose() => Http.Dispose();
}
