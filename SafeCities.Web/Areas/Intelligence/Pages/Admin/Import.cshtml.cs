using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Web.Areas.Intelligence.Pages.Admin;

/// <summary>
/// Back-load an agency's records from CSV (Administrators, by the /Admin folder convention): the browser reads the file and posts it in
/// chunks to <c>POST /api/v1/intelligence/agencies/{id}/records-csv</c>; the bar advances per chunk and the report lists every rejected line.
/// </summary>
internal sealed class ImportModel(ISender sender) : PageModel
{
    public const int ChunkSize = 1000;

    public IReadOnlyList<AgencyDto> Agencies { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Agencies = await sender.Send(new ListAgenciesQuery(), ct);
}
