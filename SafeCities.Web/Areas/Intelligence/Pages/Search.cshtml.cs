using FluentValidation;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Intelligence.Pages;

/// <summary>Analyst search: every search states its purpose (audited); results show only what the viewer's access rules allow.</summary>
internal sealed class SearchModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Purpose { get; set; }
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Dob { get; set; }
    [BindProperty(SupportsGet = true)] public string? Identifier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    [BindProperty(SupportsGet = true)] public string? Text { get; set; }

    public SearchResultDto? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (new[] { Name, Dob, Identifier, Plate, Text }.All(string.IsNullOrWhiteSpace))
            return;
        try
        {
            Result = await sender.Send(new SearchIntelligenceQuery(Viewer.Of(User), Purpose ?? "", Name, Dob, Identifier, Plate, null, Text), ct);
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
        catch (DomainRuleException ex) when (ex.StatusCode == StatusCodes.Status403Forbidden)
        {
            ModelState.AddModelError(string.Empty, ex.Message);   // blocked by a sharing rule (ADR 0041): said, not an empty result
        }
    }
}
