using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Web.Areas.Plates.Pages;

/// <summary>Hotlist hits, newest first (command staff); restricted lists' reasons only for administrators, commanders and analysts.</summary>
internal sealed class HitsModel(ISender sender, IAuthorizationService authorization, TimeProvider clock) : PageModel
{
    /// <summary>May confirm or reject a hit (ADR 0043).</summary>
    public bool CanDecide { get; private set; }
    public DateTimeOffset Now { get; private set; }

    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    /// <summary>Only the past-read hits (found by the look-back when a plate was listed): low priority, not incidents on the board.</summary>
    [BindProperty(SupportsGet = true)] public bool PastReads { get; set; }
    public IReadOnlyList<HotlistHitDto> Hits { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Hits = await sender.Send(new ListHotlistHitsQuery(User.IsInAnyRole(Roles.Analysts), Plate, 300, PastReads ? true : null), ct);
        CanDecide = (await authorization.AuthorizeAsync(User, Policies.IncidentResponders)).Succeeded;
        Now = clock.GetUtcNow();
    }
}
