using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages.Audit;

/// <summary>Oversight's review of the audit log: who searched plates and people, why, with which terms; configuration changes; a chart per day.</summary>
[Authorize(Policy = Policies.AuditReviewers)]
internal sealed class IndexModel(ISender sender, CityClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public AuditReviewRequest Filter { get; set; } = new();

    public AuditReviewDto? Review { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Review = await sender.Send(Filter.ToQuery(User.Actor(), includeSystem: false, timeZone: clock.Id), ct);
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
    }

    /// <summary>Every day of the reviewed period in the city's time zone, quiet ones included, so that the chart shows a busy day against
    /// the others (a day with no entry is a zero, not missing from the axis).</summary>
    public IReadOnlyList<DateOnly> Days()
    {
        if (Review is not { } r)
            return [];
        var (first, last) = (DateOnly.FromDateTime(clock.ToLocal(r.From).DateTime), DateOnly.FromDateTime(clock.ToLocal(r.To).DateTime));
        return Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays).ToList();
    }

    /// <summary>This page's address with the current filters and one of them changed (paging, CSV).</summary>
    public string Link(string path, long? before = null)
    {
        var q = new Dictionary<string, string?>
        {
            ["from"] = Filter.From?.ToString("O"), ["to"] = Filter.To?.ToString("O"), ["actor"] = Filter.Actor, ["module"] = Filter.Module,
            ["action"] = Filter.Action, ["purpose"] = Filter.Purpose, ["before"] = before?.ToString(), ["system"] = Filter.System == true ? "true" : "false",
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path, q.Where(kv => !string.IsNullOrEmpty(kv.Value))!);
    }
}
