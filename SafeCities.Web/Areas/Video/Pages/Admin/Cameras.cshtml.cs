using System.Text.Json;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Web.Areas.Video.Pages.Admin;

internal sealed class CamerasModel(ISender sender) : PageModel
{
    public IReadOnlyList<CameraDto> Cameras { get; private set; } = [];
    public string CamerasJson { get; private set; } = "[]";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Cameras = await sender.Send(new ListCameraDetailsQuery(), ct);
        CamerasJson = JsonSerializer.Serialize(Cameras, JsonSerializerOptions.Web).Replace("<", "\\u003c");
    }
}
