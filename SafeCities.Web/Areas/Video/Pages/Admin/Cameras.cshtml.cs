using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Web.Areas.Video.Pages.Admin;

internal sealed class CamerasModel(ISender sender) : PageModel
{
    public IReadOnlyList<CameraDto> Cameras { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Cameras = await sender.Send(new ListCameraDetailsQuery(), ct);
    }
}
