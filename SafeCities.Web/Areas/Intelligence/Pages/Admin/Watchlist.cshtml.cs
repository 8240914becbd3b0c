using System.ComponentModel.DataAnnotations;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Intelligence.Pages.Admin;

/// <summary>The watchlist (Administrators): watch a person, a plate or criteria, or stop watching; releases of watched persons notify officers live. Audited.</summary>
internal sealed class WatchlistModel(ISender sender) : PageModel
{
    [BindProperty]
    public EntryInput Input { get; set; } = new();

    public IReadOnlyList<WatchlistEntryDto> Entries { get; private set; } = [];
    public WatchlistEntryDto? Added { get; private set; }
    public WatchlistEntryDto? Removed { get; private set; }

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
                ModelState.AddValidationErrors(ex, nameof(Input));
            }
            catch (DomainRuleException ex)
            {
                ModelState.AddModelError(string.Empty, ex.Message);
            }
        }
        Entries = await sender.Send(new ListWatchlistQuery(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();   // the add form's fields are not part of a removal
        try
        {
            Removed = await sender.Send(new RemoveWatchlistEntryCommand(id, User.Actor()), ct);
        }
        catch (Exception ex) when (ex is DomainRuleException or FluentValidation.ValidationException)
        {
            ModelState.AddModelError(string.Empty, ex is DomainRuleException ? ex.Message : "No such watchlist entry.");
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
