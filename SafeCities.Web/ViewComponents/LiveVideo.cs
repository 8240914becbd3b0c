using Microsoft.AspNetCore.Http;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// The live player of a camera (Pages/Shared/_LiveVideo.cshtml): a "Watch live" button that loads the relay's HLS playlist into a video
/// element (wwwroot/js/live-video.js with hls.js). A page that renders one gets the two scripts from the layout (<see cref="Used"/>).
/// </summary>
internal static class LiveVideo
{
    private const string ItemKey = "safecities:live-video";

    /// <summary>The relay pulls rtsp(s) links only; other links stay plain links.</summary>
    public static bool IsRelayable(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "rtsp" or "rtsps";

    public static string PlaylistUrl(Guid cameraId) => $"/api/v1/cameras/{cameraId}/live/index.m3u8";

    public static void Use(HttpContext http) => http.Items[ItemKey] = true;

    public static bool Used(HttpContext http) => http.Items.ContainsKey(ItemKey);
}

/// <summary>Model of the player partial.</summary>
public sealed record LiveVideoView(Guid CameraId, string CameraName);
