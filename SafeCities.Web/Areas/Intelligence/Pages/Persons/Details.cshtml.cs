using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Web.Areas.Intelligence.Pages.Persons;

/// <summary>One person as this viewer may see them: records by agency, timeline, link graph. Viewing is audited with purpose.</summary>
internal sealed class DetailsModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Purpose { get; set; }

    public PersonDetailDto? Person { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Purpose))
            return Page();
        try
        {
            Person = await sender.Send(new GetPersonQuery(Viewer.Of(User), id, Purpose), ct);
            return Person is null ? NotFound() : Page();
        }
        catch (ValidationException ex)
        {
            foreach (var e in ex.Errors)
                ModelState.AddModelError(e.PropertyName, e.ErrorMessage);
            return Page();
        }
    }
}
