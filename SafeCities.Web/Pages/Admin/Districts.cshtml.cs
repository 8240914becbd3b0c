using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages.Admin;

/// <summary>The city's police districts: what the board filters and groups by, and what the analyses compare. Imported as GeoJSON.</summary>
internal sealed class DistrictsModel(ISender sender) : PageModel
{
    public IReadOnlyList<DistrictDto> Districts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Districts = await sender.Send(new ListDistrictsQuery(), ct);
}
