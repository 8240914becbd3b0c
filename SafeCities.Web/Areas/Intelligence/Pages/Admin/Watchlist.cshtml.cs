using System.ComponentModel.DataAnnotations;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Web.Areas.Intelligence.Pages.Admin;

/// <summary>The watchlist (Administrators): watch a person, a plate or criteria; releases of watched persons notify officers live. Audited.</summary>
internal sealed class WatchlistModel(ISender sender) : PageModel
{
    [BindProperty]
    public EntryInput Input { get; set; } = new();

    public IReadOnlyList<WatchlistEntryDto> Entries { get; private set; } = [];
    public WatchlistEntryDto? Added { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Entries = await sender.Send(new ListWatchlistQuery(), ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                Added = await sender.Send(new AddWatchlistEntryCommand(Input.Name ?? "", Input.PersonId, string.IsNullOrWhiteSpace(Input.Plate) ? null : Input.Plate,
                    string.IsNullOrWhiteSpace(Input.Criteria) ? null : Input.Criteria, User.Actor()), ct);
                Input = new EntryInput();
                ModelState.Clear();
            }
            catch (FluentValidation.ValidationException ex)
            {
                foreach (var error in ex.Errors)
                    ModelState.AddModelError(string.Empty, error.ErrorMessage);
            }
            catch (DomainRuleException ex)
            {
                ModelState.AddModelError(string.Empty, ex.Message);
            }
        }
        Entries = await sender.Send(new ListWatchlistQuery(), ct);
        return Page();
    }

    internal sealed class EntryInput
    {
        [Required, StringLength(160)]
        public string? Name { get; set; }

        [Display(Name = "Person id")]
        public Guid? PersonId { get; set; }

        public string? Plate { get; set; }

        public string? Criteria { get; set; }
    }
}
