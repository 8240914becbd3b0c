using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Web.Areas.Plates.Pages.Admin;

/// <summary>Oversight: every plate search and co-location query with who ran it, when, why and with which terms.</summary>
internal sealed class SearchAuditModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public DateTimeOffset? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateTimeOffset? To { get; set; }
    public IReadOnlyList<PlateSearchAuditDto> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Entries = await sender.Send(new ListPlateSearchAuditQuery(From, To, Actor), ct);
}
