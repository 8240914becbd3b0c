using FluentValidation;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Alerts.Pages.CitizenReports;

/// <summary>
/// The triage queue of citizen reports (command staff, by the Alerts area's convention): attach a report (and its waiting cluster) to an
/// incident, dismiss it with a reason, or open an incident from it. A reporter's contact and a report's photos are shown only through
/// audited commands.
/// </summary>
internal sealed class IndexModel(ISender sender) : PageModel
{
    public IReadOnlyList<TriageItemDto> Items { get; private set; } = [];

    /// <summary>The contact asked for (audited), shown above the queue.</summary>
    public (Guid ReportId, ReporterContactDto Contact)? ShownContact { get; private set; }

    public string? Done { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Done = done switch { "attached" => "Attached as witness statements.", "dismissed" => "Report dismissed.", _ => null };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostContactAsync(Guid id, CancellationToken ct)
    {
        if (await sender.Send(new ViewReporterContactCommand(id, User.Actor(), "triage"), ct) is not { } contact)
            return NotFound();
        ShownContact = (id, contact);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A report's photo (re-encoded without metadata); every view is audited.</summary>
    public async Task<IActionResult> OnGetPhotoAsync(Guid id, CancellationToken ct)
    {
        if (await sender.Send(new ViewReportPhotoCommand(id, User.Actor()), ct) is not { } photo)
            return NotFound();
        Response.Headers.CacheControl = "no-store";
        return File(photo.Bytes, photo.ContentType);
    }

    public Task<IActionResult> OnPostAttachAsync(Guid id, Guid? incidentId, CancellationToken ct) =>
        ActAsync(async () =>
        {
            await sender.Send(new AttachCitizenReportCommand(id, incidentId ?? Guid.Empty, User.Actor()), ct);
            return RedirectToPage(new { done = "attached" });
        }, ct);

    public Task<IActionResult> OnPostDismissAsync(Guid id, [FromForm] string? reason, CancellationToken ct) =>
        ActAsync(async () =>
        {
            await sender.Send(new DismissCitizenReportCommand(id, User.Actor(), reason), ct);
            return RedirectToPage(new { done = "dismissed" });
        }, ct);

    public Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken ct) =>
        ActAsync(async () =>
        {
            var incident = await sender.Send(new OpenIncidentFromCitizenReportCommand(id, User.Actor()), ct);
            return RedirectToPage("/Incidents/Details", new { area = "Alerts", id = incident });
        }, ct);

    private async Task<IActionResult> ActAsync(Func<Task<IActionResult>> act, CancellationToken ct)
    {
        try
        {
            return await act();
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
        catch (DomainRuleException ex)
        {
            ModelState.AddModelError("", ex.Message);
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) => Items = await sender.Send(new ListTriageQuery(), ct);
}
