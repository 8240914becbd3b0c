using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Reporting;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages.Oversight;

/// <summary>Each surveillance technology's costs per year, by category and funding source, as the annual report shows them (ADR 0052).</summary>
[Authorize(Policy = Policies.AuditReviewers)]
internal sealed class CostsModel(ISender sender, CityClock city, TimeProvider clock) : PageModel
{
    public sealed class CostInput
    {
        public Guid? Id { get; set; }
        public string? Technology { get; set; }
        public int? Year { get; set; }
        public string? Category { get; set; }
        public decimal? Amount { get; set; }
        public string? FundingSource { get; set; }
    }

    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Edit { get; set; }
    [BindProperty] public CostInput Input { get; set; } = new();

    public IReadOnlyList<TechnologyCostDto> Costs { get; private set; } = [];
    public string? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = Edit is { } id && Costs.FirstOrDefault(c => c.Id == id) is { } c
            ? new CostInput { Id = c.Id, Technology = c.Technology, Year = c.Year, Category = c.Category, Amount = c.Amount, FundingSource = c.FundingSource }
            : new CostInput { Year = Year };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            var saved = await sender.Send(new SaveTechnologyCostCommand(Input.Id, Input.Technology, Input.Year, Input.Category, Input.Amount, Input.FundingSource,
                User.Actor()), ct);
            return RedirectToPage(new { year = saved.Year, saved = saved.Id });
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

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        await sender.Send(new DeleteTechnologyCostCommand(id, User.Actor()), ct);
        return RedirectToPage(new { year = Year });
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var thisYear = city.ToLocal(clock.GetUtcNow()).Year;
        if (Year is not { } y || y < AnnualReportYears.First || y > thisYear + 1)
            Year = thisYear - 1;   // the year whose report is being written
        Costs = await sender.Send(new ListTechnologyCostsQuery(Year), ct);
        Saved = Request.Query["saved"].FirstOrDefault();
    }

    public static IReadOnlyList<string> Technologies => ReportTechnologies.All;

    public static string Money(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);
}
