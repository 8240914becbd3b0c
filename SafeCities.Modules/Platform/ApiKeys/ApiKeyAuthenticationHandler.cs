using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Modules.Platform.ApiKeys;

/// <summary><c>X-Api-Key</c> authentication for API clients and devices; failures answer 401/403 ProblemDetails.</summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyAuthenticator keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = ApiKeyHeader.Name;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values))
            return AuthenticateResult.NoResult();
        var principal = await keys.AuthenticateAsync(values.ToString().Trim(), SchemeName, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("Invalid or revoked API key.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status401Unauthorized, "Unauthorized",
            Request.Headers.ContainsKey(Header) ? "The X-Api-Key is invalid or revoked." : "Send a valid X-Api-Key header.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden", "This key may not use this endpoint.");

    private Task Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(Context);
}
