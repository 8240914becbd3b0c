using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Policies.CommandStaff)]
internal sealed class IndexModel(ISender sender) : PageModel
{
    /// <summary>The open and acknowledged incidents, the most recently active first, and how many there are (the board draws them at load).</summary>
    public BoardDto Board { get; private set; } = new([], 0, 0, 0);

    public bool CanRespond { get; private set; }

    /// <summary>The city's police districts (code → name) for the district filter; the user's own district is chosen first.</summary>
    public IReadOnlyDictionary<string, string> Districts { get; private set; } = new Dictionary<string, string>();

    public string? MyDistrict { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Board = await sender.Send(new GetBoardQuery(), ct);
        CanRespond = User.IsInAnyRole(Roles.Responders);
        Districts = await sender.Send(new GetDistrictNamesQuery(), ct);
        MyDistrict = User.FindFirst(Policies.DistrictClaim)?.Value is { } mine && Districts.ContainsKey(mine) ? mine : null;
    }
}
