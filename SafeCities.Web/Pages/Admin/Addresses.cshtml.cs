using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages.Admin;

/// <summary>The city's address points (reverse geocoding without internet): chunked CSV import with progress, as for streetlights.</summary>
internal sealed class AddressesModel(ISender sender) : PageModel
{
    public const int ChunkSize = 200;

    public int Count { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Count = await sender.Send(new CountAddressPointsQuery(), ct);
}
