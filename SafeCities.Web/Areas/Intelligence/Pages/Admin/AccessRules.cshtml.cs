using System.ComponentModel.DataAnnotations;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Intelligence.Pages.Admin;

/// <summary>Who sees what (Administrators): the access rules as data, per role, record kind and optionally agency. Every change is audited.</summary>
internal sealed class AccessRulesModel(ISender sender) : PageModel
{
    [BindProperty]
    public RuleInput Input { get; set; } = new();

    public IReadOnlyList<AccessRuleDto> Rules { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> AgencyNames { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyList<AgencyDto> Agencies { get; private set; } = [];
    public string? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var rule = await sender.Send(new SetAccessRuleCommand(Input.Role!, Input.RecordKind!, Input.Access!, Input.Scope ?? AccessScopes.All, Input.IncludeSealed,
                    Input.AgencyId, User.Actor()), ct);
                Saved = rule is null ? $"Removed the default rule for {Input.Role} / {Input.RecordKind}." : $"Saved: {Input.Role} / {Input.RecordKind} → {rule.Access} ({rule.Scope}).";
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
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rules = await sender.Send(new ListAccessRulesQuery(), ct);
        Agencies = await sender.Send(new ListAgenciesQuery(), ct);
        AgencyNames = Agencies.ToDictionary(a => a.Id, a => a.Name);
    }

    internal sealed class RuleInput
    {
        [Required]
        public string? Role { get; set; }

        [Required, Display(Name = "Record kind")]
        public string? RecordKind { get; set; }

        [Required]
        public string? Access { get; set; }

        public string? Scope { get; set; }

        [Display(Name = "Include sealed records")]
        public bool IncludeSealed { get; set; }

        [Display(Name = "Agency")]
        public Guid? AgencyId { get; set; }
    }
}
