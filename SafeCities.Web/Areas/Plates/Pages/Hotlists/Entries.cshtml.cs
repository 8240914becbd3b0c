using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Plates.Pages.Hotlists;

/// <summary>
/// One hotlist's entries, paged and searchable by plate; an entry can be removed (withdrawn: audited, the matcher forgets it at once).
/// Entries Intelligence put on its list are withdrawn by Intelligence (the warrant ends), not here. Post/Redirect/Get with a TempData message.
/// </summary>
[Authorize(Policy = Policies.IntelligenceAnalysts)]
internal sealed class EntriesModel(ISender sender) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [TempData] public string? Message { get; set; }
    public HotlistEntriesPageDto? Result { get; private set; }

    public int Pages => Result is null ? 0 : Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    public bool Removable => Result?.Hotlist.Kind != "intelligence";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Result = await sender.Send(new PageHotlistEntriesQuery(id, Q, Math.Max(1, PageNumber), PageSize), ct);
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
            Q = null;
            Result = await sender.Send(new PageHotlistEntriesQuery(id, null, 1, PageSize), ct);
        }
        return Result is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, Guid entryId, CancellationToken ct)
    {
        var list = await sender.Send(new PageHotlistEntriesQuery(id, null, 1, 1), ct);
        if (list is null)
            return NotFound();
        if (list.Hotlist.Kind == "intelligence")
        {
            Message = "Entries Intelligence asked for are withdrawn by Intelligence (when the warrant ends), not here.";
            return RedirectToPage(new { id, q = Q, p = PageNumber });
        }
        try
        {
            var entry = await sender.Send(new WithdrawHotlistEntryCommand(entryId, User.Actor()), ct);
            Message = entry.HotlistId == id ? $"Removed {entry.Plate} from {list.Hotlist.Name}." : "That entry is on another list.";
        }
        catch (DomainRuleException ex)
        {
            Message = ex.Message;
        }
        return RedirectToPage(new { id, q = Q, p = PageNumber });
    }
}
