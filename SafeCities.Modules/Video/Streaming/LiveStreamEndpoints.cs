using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Video.Data;

namespace SafeCities.Modules.Video.Streaming;

/// <summary>
/// <c>GET /api/v1/cameras/{id}/live/index.m3u8</c> starts (or keeps) the camera's relay and answers its playlist; the segments it names are
/// answered from the same folder. Staff who see incidents (command staff, officers included) may watch; the relay only pulls rtsp(s) links.
/// </summary>
internal static class LiveStreamEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var live = app.MapGroup("/api/v1/cameras/{id:guid}/live").WithTags("Video").RequireAuthorization(Policies.CommandStaff);
        live.MapGet("/" + LiveStreamRelay.Playlist, async Task<IResult> (Guid id, VideoDbContext db, LiveStreamRelay relay, HttpContext http,
                CancellationToken ct) =>
            {
                var streamUrl = await db.Cameras.AsNoTracking().Where(c => c.Id == id).Select(c => c.StreamUrl).FirstOrDefaultAsync(ct);
                if (!IsRelayable(streamUrl))
                    return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No camera with an RTSP stream has this id.");
                if (await relay.OpenPlaylistAsync(id, streamUrl!, ct) is not { } path)
                    return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The camera's stream did not start.",
                        detail: "The camera did not answer or sent nothing the relay can read; try again.");
                NoStore(http);
                // Read whole: ffmpeg replaces the playlist (write, then rename) every segment.
                return TypedResults.Bytes(await File.ReadAllBytesAsync(path, ct), "application/vnd.apple.mpegurl");
            })
            .WithSummary("The camera's live HLS playlist (starts the relay; it stops when nobody has asked for a while).");
        live.MapGet("/{file}", (Guid id, string file, LiveStreamRelay relay, HttpContext http) =>
            {
                if (file == LiveStreamRelay.Playlist || relay.FilePath(id, file) is not { } path)
                    return Results.NotFound();
                NoStore(http);
                return Results.File(path, "video/mp2t");
            })
            .WithSummary("A segment of the camera's live HLS stream (only the names the playlist gives).");
        MapSnapshot(app);
    }

    /// <summary>
    /// What a thumbnail shows when the camera gives no frame: an answer the page can show, not an error. On two lines in the middle
    /// third, so that a box of another shape that covers with it (4:3 crops an eighth off each side) does not cut the words.
    /// </summary>
    private const string NoPicture = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"180\" viewBox=\"0 0 320 180\">" +
        "<rect width=\"320\" height=\"180\" fill=\"#222\"/><text fill=\"#aaa\" font-family=\"sans-serif\" font-size=\"20\" text-anchor=\"middle\">" +
        "<tspan x=\"160\" y=\"84\">No picture</tspan><tspan x=\"160\" y=\"110\">from the camera</tspan></text></svg>";

    private static void MapSnapshot(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/cameras/{id:guid}/snapshot", async Task<IResult> (Guid id, VideoDbContext db, CameraSnapshots snapshots,
                HttpContext http, CancellationToken ct) =>
            {
                var streamUrl = await db.Cameras.AsNoTracking().Where(c => c.Id == id).Select(c => c.StreamUrl).FirstOrDefaultAsync(ct);
                if (!IsRelayable(streamUrl))
                    return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No camera with an RTSP stream has this id.");
                NoStore(http);
                return await snapshots.GetAsync(id, streamUrl!, ct) is { } jpeg
                    ? TypedResults.Bytes(jpeg, "image/jpeg")
                    : TypedResults.Text(NoPicture, "image/svg+xml");
            })
            .WithTags("Video").RequireAuthorization(Policies.CommandStaff)
            .WithSummary("A current frame of the camera as a JPEG thumbnail (an SVG saying \"no picture\" when the camera gives none).");

    private static bool IsRelayable(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "rtsp" or "rtsps";

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";
}
