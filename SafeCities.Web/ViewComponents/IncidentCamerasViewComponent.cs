using System.Text.Json;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// The cameras of an incident's reaction, nearest first, with their live stream links (phone-sized), and the same data as JSON
/// (<c>#incident-cameras-data</c>) for <c>window.safecities.drawCameras(map, cameras)</c> (wwwroot/js/camera-cones.js).
/// Use: <c>@await Component.InvokeAsync("IncidentCameras", new { incidentId = incident.Id })</c> (the <c>vc:</c> tag helper would generate an
/// unsealed class, which the architecture tests refuse).
/// </summary>
public sealed class IncidentCamerasViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid incidentId)
    {
        var cameras = await sender.Send(new GetIncidentCamerasQuery(incidentId), HttpContext.RequestAborted);
        return View(new IncidentCamerasView(cameras, JsonSerializer.Serialize(cameras, JsonSerializerOptions.Web).Replace("<", "\\u003c")));
    }
}

public sealed record IncidentCamerasView(IReadOnlyList<IncidentCameraDto> Cameras, string Json);
