using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Web.Areas.Plates.Pages.Admin;

internal sealed class ReadersModel(ISender sender) : PageModel
{
    public IReadOnlyList<PlateReaderActivityDto> Readers { get; private set; } = [];
    public object PointsData { get; private set; } = Array.Empty<object>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Readers = await sender.Send(new ListPlateReaderActivityQuery(), ct);
        PointsData = Readers.Select(r => new { r.Name, r.Latitude, r.Longitude, r.HeadingDegrees, r.ReadsLast24Hours });
    }
}
