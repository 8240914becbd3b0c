using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Reporting;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages.Oversight;

/// <summary>
/// Complaints and violations per surveillance technology (ADR 0052): the oversight body records and closes them; administrators read them.
/// The annual report shows counts and outcomes only.
/// </summary>
[Authorize(Policy = Policies.AuditReviewers)]
internal sealed class CasesModel(ISender sender, CityClock city, TimeProvider clock) : PageModel
{
    public sealed class CaseInput
    {
        public Guid? Id { get; set; }
        public string? Technology { get; set; }
        public string? Kind { get; set; }
        public DateOnly? ReceivedOn { get; set; }
        public string? Summary { get; set; }
        public string? Status { get; set; } = OversightCaseStatuses.Open;
        public string? Finding { get; set; }
        public string? Action { get; set; }
        public string? ActionNotes { get; set; }
    }

    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Edit { get; set; }
    [BindProperty] public CaseInput Input { get; set; } = new();

    public IReadOnlyList<OversightCaseDto> Cases { get; private set; } = [];
    public bool MayRecord => User.IsInRole(Roles.Oversight);
    public string? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Edit is { } id && Cases.FirstOrDefault(c => c.Id == id) is { } c)
            Input = new CaseInput
            {
                Id = c.Id, Technology = c.Technology, Kind = c.Kind, ReceivedOn = c.ReceivedOn, Summary = c.Summary, Status = c.Status, Finding = c.Finding,
                Action = c.Action, ActionNotes = c.ActionNotes,
            };
        else
            Input.ReceivedOn = DateOnly.FromDateTime(city.ToLocal(clock.GetUtcNow()).DateTime);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!MayRecord)
            return Forbid();
        try
        {
            var saved = await sender.Send(new SaveOversightCaseCommand(Input.Id, Input.Technology, Input.Kind, Input.ReceivedOn, Input.Summary, Input.Status,
                Empty(Input.Finding), Empty(Input.Action), Input.ActionNotes, User.Actor()), ct);
            return RedirectToPage(new { year = saved.ReceivedOn.Year, saved = saved.Id });
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex, nameof(Input));
        }
        catch (DomainRuleException ex)
        {
            ModelState.AddModelError(string.Empty, ex.Message);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Year ??= city.ToLocal(clock.GetUtcNow()).Year;
        if (Year is < 2000 or > 2100)
            Year = city.ToLocal(clock.GetUtcNow()).Year;
        Cases = await sender.Send(new ListOversightCasesQuery(Year), ct);
        Saved = Request.Query["saved"].FirstOrDefault();
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public static IReadOnlyList<string> Technologies => ReportTechnologies.All;

    public static string Label(string? value) => value is null ? "–" : value.Replace('-', ' ');

    public static string Year4(int year) => year.ToString(CultureInfo.InvariantCulture);
}
