using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Plates.Pages;

/// <summary>
/// Hotlists: create a list, list a plate, import an extract in chunks (the bar follows the server; rejected lines are listed). A successful
/// post redirects back here with its message in TempData (Post/Redirect/Get: a reload does not post again); counts are read on every view.
/// </summary>
[Authorize(Policy = Policies.IntelligenceAnalysts)]
internal sealed class HotlistsModel(ISender sender) : PageModel
{
    public IReadOnlyList<HotlistDto> Lists { get; private set; } = [];
    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Lists = await sender.Send(new ListHotlistsQuery(), ct);

    public async Task<IActionResult> OnPostCreateAsync(string? name, string? kind, string? alertLevel, string? reason, string? owner, string? visibility,
        DateTimeOffset? expiresAt, CancellationToken ct)
    {
        try
        {
            var list = await sender.Send(new CreateHotlistCommand(name, kind, alertLevel, reason, owner, visibility, expiresAt, User.Actor()), ct);
            Message = $"Created {list.Name}.";
            return RedirectToPage();
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostEntryAsync(Guid hotlistId, string? plate, string? region, string? reason, CancellationToken ct)
    {
        try
        {
            var entry = await sender.Send(new AddHotlistEntryCommand(hotlistId, plate, region, reason, null, null, null, User.Actor()), ct);
            Message = !entry.AlreadyListed ? $"Listed {entry.Plate}; {entry.RetroactiveHits} hit(s) in past reads."
                : entry.RetroactiveHits == 0 ? $"{entry.Plate} is already on this list."
                : $"{entry.Plate} is already on this list; {entry.RetroactiveHits} hit(s) in past reads found now (the first listing did not finish its look-back).";
            return RedirectToPage();
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
        catch (DomainRuleException ex)
        {
            ModelState.AddModelError("", ex.Message);
        }
        await OnGetAsync(ct);
        return Page();
    }
}
