using System.ComponentModel.DataAnnotations;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Intelligence.Pages.Admin;

/// <summary>
/// Sharing rules and agreements (Administrators, ADR 0041): which agencies may receive a data class (rules as data, every change audited),
/// the agreements with the rules their receiving agency breaks (blocked: its analysts' queries are refused), and a new agreement, refused
/// with the rule's name when it would break one.
/// </summary>
internal sealed class SharingModel(ISender sender) : PageModel
{
    [BindProperty]
    public RuleInput Input { get; set; } = new();

    [BindProperty]
    public AgreementInput Agreement { get; set; } = new();

    [BindProperty]
    public ProfileInput Profile { get; set; } = new();

    public IReadOnlyList<SharingRuleDto> Rules { get; private set; } = [];
    public IReadOnlyList<SharingAgreementDto> Agreements { get; private set; } = [];
    public IReadOnlyList<AgencyDto> Agencies { get; private set; } = [];
    public string? Notice { get; private set; }

    public async Task OnGetAsync(Guid? edit, Guid? agency, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (agency is { } agencyId && Agencies.FirstOrDefault(a => a.Id == agencyId) is { } found)
            Profile = new ProfileInput
            {
                AgencyId = found.Id, Sector = found.Sector, State = found.State, Functions = [.. found.Functions ?? []], PartOfCity = found.PartOfCity,
            };
        if (edit is { } id && Rules.FirstOrDefault(r => r.Id == id) is { } rule)
            Input = new RuleInput
            {
                Id = rule.Id, Name = rule.Name, DataClass = rule.DataClass, AllowedSectors = [.. rule.AllowedSectors], AllowedStates = string.Join(", ", rule.AllowedStates),
                DeniedFunctions = [.. rule.DeniedFunctions], Citation = rule.Citation, Enabled = rule.Enabled,
            };
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (TryValidateModel(Input, nameof(Input)))
            await TryAsync(async () =>
            {
                var states = (Input.AllowedStates ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var rule = await sender.Send(new SaveSharingRuleCommand(Input.Id, Input.Name!, Input.DataClass!, Input.AllowedSectors, states, Input.DeniedFunctions,
                    Input.Citation, Input.Enabled, User.Actor()), ct);
                Notice = $"Saved the rule '{rule.Name}'{(rule.Enabled ? "" : " (disabled: it checks nothing)")}. The change is in the audit log and applies to the next query.";
                Input = new RuleInput();
            }, nameof(Input));
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        Notice = await sender.Send(new DeleteSharingRuleCommand(id, User.Actor()), ct) ? "Deleted the rule (recorded in the audit log)." : "That rule was already deleted.";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAgreementAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (TryValidateModel(Agreement, nameof(Agreement)))
            await TryAsync(async () =>
            {
                await sender.Send(new AddSharingAgreementCommand(Agreement.FromAgencyId!.Value, Agreement.ToAgencyId!.Value, User.Actor()), ct);
                Notice = "Agreement saved (recorded in the audit log).";
                Agreement = new AgreementInput();
            }, nameof(Agreement));
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The errors of one of the page's two forms (each shows its own, not the other's).</summary>
    public IReadOnlyList<string> ErrorsOf(string prefix) =>
        ModelState.Where(e => e.Key == prefix || e.Key.StartsWith(prefix + ".", StringComparison.Ordinal))
            .SelectMany(e => e.Value!.Errors.Select(x => x.ErrorMessage)).ToList();

    public async Task<IActionResult> OnPostProfileAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (TryValidateModel(Profile, nameof(Profile)))
            await TryAsync(async () =>
            {
                var agency = await sender.Send(new SetAgencySharingProfileCommand(Profile.AgencyId!.Value, Profile.Sector ?? AgencySectors.Public, Profile.State,
                    Profile.Functions, Profile.PartOfCity, User.Actor()), ct);
                Notice = agency is null ? "No such agency." : $"Saved what the rules see of {agency.Name} (recorded in the audit log).";
                Profile = new ProfileInput();
            }, nameof(Profile));
        await LoadAsync(ct);
        return Page();
    }

    private async Task TryAsync(Func<Task> action, string prefix)
    {
        try
        {
            await action();
            ModelState.Clear();
        }
        catch (FluentValidation.ValidationException ex)
        {
            ModelState.AddValidationErrors(ex, prefix);
        }
        catch (DomainRuleException ex)
        {
            ModelState.AddModelError(prefix, ex.Message);
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rules = await sender.Send(new ListSharingRulesQuery(), ct);
        Agreements = await sender.Send(new ListSharingAgreementsQuery(), ct);
        Agencies = await sender.Send(new ListAgenciesQuery(), ct);
    }

    internal sealed class RuleInput
    {
        public Guid? Id { get; set; }

        [Required, StringLength(160)]
        public string? Name { get; set; }

        [Required, Display(Name = "Data class")]
        public string? DataClass { get; set; }

        [Display(Name = "Only to agencies of sector")]
        public List<string> AllowedSectors { get; set; } = [];

        [StringLength(300), Display(Name = "Only to agencies of state (two-letter codes, comma-separated)")]
        public string? AllowedStates { get; set; }

        [Display(Name = "Never to agencies doing")]
        public List<string> DeniedFunctions { get; set; } = [];

        [StringLength(1000), Display(Name = "Law or policy (citation)")]
        public string? Citation { get; set; }

        public bool Enabled { get; set; } = true;
    }

    internal sealed class AgreementInput
    {
        [Required, Display(Name = "Agency sharing its records")]
        public Guid? FromAgencyId { get; set; }

        [Required, Display(Name = "With analysts of")]
        public Guid? ToAgencyId { get; set; }
    }

    internal sealed class ProfileInput
    {
        [Required, Display(Name = "Agency")]
        public Guid? AgencyId { get; set; }

        public string? Sector { get; set; } = AgencySectors.Public;

        [StringLength(2), Display(Name = "State (two letters; empty: federal)")]
        public string? State { get; set; }

        public List<string> Functions { get; set; } = [];

        [Display(Name = "Part of the city (its own department)")]
        public bool PartOfCity { get; set; }
    }
}
