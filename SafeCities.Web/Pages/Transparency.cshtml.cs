using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Web.Pages;

/// <summary>Public (no login): how long licence-plate data is kept, and how much was read, hit and searched each month. Never a plate.</summary>
[AllowAnonymous]
internal sealed class TransparencyModel(ISender sender) : PageModel
{
    public PlatesTransparencyDto Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Report = await sender.Send(new GetPlatesTransparencyQuery(), ct);
}
