using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Web.Areas.Plates.Pages;

/// <summary>Hotlist hits, newest first (command staff); restricted lists' reasons only for administrators, commanders and analysts.</summary>
internal sealed class HitsModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    public IReadOnlyList<HotlistHitDto> Hits { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Hits = await sender.Send(new ListHotlistHitsQuery(User.IsInAnyRole(Roles.Analysts),
            Plate, 300), ct);
}
