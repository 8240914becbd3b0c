namespace SafeCities.Web.ViewComponents;

/// <summary>Stream URLs become links only for the schemes camera registration accepts (never javascript: or data:).</summary>
internal static class StreamLinks
{
    private static readonly string[] Schemes = ["rtsp", "rtsps", "http", "https", "wss"];

    public static bool IsLinkable(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && Schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);
}
