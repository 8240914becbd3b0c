using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages.Oversight;

/// <summary>
/// Oversight's start page: for this month and the last (city time), who looked things up and how often, the complaints still open, how the
/// hotlist hits were decided, how precise the alerts were and which other agencies read data — each figure leading to the page that
/// details it. Administrators see it too (policy AuditReviewers). Opening it is audited, as the audit log's review is.
/// </summary>
[Authorize(Policy = Policies.AuditReviewers)]
internal sealed class IndexModel(ISender sender, CityClock city, TimeProvider clock) : PageModel
{
    public const int Months = 2;

    /// <summary>Only this person (<c>?person=</c>, in any case); everyone when empty.</summary>
    [BindProperty(SupportsGet = true)] public string? Person { get; set; }

    public DateTimeOffset From { get; private set; }
    public AuditByPersonDto People { get; private set; } = null!;
    public int OpenCases { get; private set; }
    public DateOnly? OldestOpenCase { get; private set; }
    public (int Hits, int Confirmed, int Rejected, int FlaggedReaders) Hits { get; private set; }
    public (int Alerts, int Attended, int WithEvidence, int CorrectedAfterClose) Alerts { get; private set; }
    public (int Agencies, int Reads) AgencyReads { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (from, to) = CityMonths.Last(city, clock.GetUtcNow(), Months);
        From = from;
        People = await sender.Send(new SummarizeAuditByPersonQuery(User.Actor(), from, to, Person), ct);

        var open = (await sender.Send(new ListOversightCasesQuery(), ct)).Where(c => c.Status == OversightCaseStatuses.Open).ToList();
        (OpenCases, OldestOpenCase) = (open.Count, open.Count == 0 ? null : open.Min(c => c.ReceivedOn));

        var hits = await sender.Send(new GetHitStatisticsQuery(from, to, city.Id, CountReads: false), ct);
        Hits = (hits.Rows.Sum(r => r.Hits), hits.Rows.Sum(r => r.Confirmed), hits.Rows.Sum(r => r.Rejected), hits.Readers.Count(r => r.HighMisreadRate));

        var precision = await sender.Send(new GetAlertPrecisionQuery(from, to, city.Id), ct);
        Alerts = (precision.Rows.Sum(r => r.Alerts), precision.Rows.Sum(r => r.Attended), precision.Rows.Sum(r => r.WithEvidence), precision.CorrectedAfterClose.Count);

        var reads = await sender.Send(new GetAgencyReadsQuery(from, to, city.Id), ct);
        var agencies = reads.Months.SelectMany(m => m.Agencies).ToList();
        AgencyReads = (agencies.Select(a => a.Agency).Distinct().Count(), agencies.SelectMany(a => a.Classes).Sum(c => c.Reads));
    }

    /// <summary>The audit log of one person over this page's period.</summary>
    public string AuditOf(string actor) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Audit", new Dictionary<string, string?> { ["actor"] = actor, ["from"] = From.ToString("O") });
}
