using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using SafeCities.Modules.Alerts.PublicAlerts;

namespace SafeCities.Modules.Alerts.Subscribers;

/// <summary>Link tokens: 256 random bits, base64url; the database keeps their SHA-256 only.</summary>
internal static class SubscriberTokens
{
    public const string SealPurpose = "SafeCities.Alerts.Subscribers.Unsubscribe.v1";

    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>A token as it may arrive in a link: 43 base64url characters, nothing else.</summary>
    public static bool IsWellFormed(string? token) => token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>The links messages carry, on the public base URL (configured, else the app's own address).</summary>
internal sealed class SubscriberLinks(IOptions<SubscribersOptions> options, IOptions<PublicAlertsOptions> alerts, IServer server, IDataProtectionProvider protection)
{
    public string BaseUrl
    {
        get
        {
            var configured = !string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? options.Value.PublicBaseUrl : alerts.Value.PublicBaseUrl;
            if (string.IsNullOrWhiteSpace(configured))
                configured = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost/";
            return configured.EndsWith('/') ? configured : configured + "/";
        }
    }

    public static string Confirm(string baseUrl, string token) => $"{baseUrl}alerts/confirm/{token}";

    public static string Unsubscribe(string baseUrl, string token) => $"{baseUrl}alerts/unsubscribe/{token}";

    public string Seal(string token) => protection.CreateProtector(SubscriberTokens.SealPurpose).Protect(token);

    public string Unseal(string sealedToken) => protection.CreateProtector(SubscriberTokens.SealPurpose).Unprotect(sealedToken);
}
