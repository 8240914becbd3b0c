using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Alerts.Pages.Incidents;

internal sealed class DetailsModel(ISender sender, IAuthorizationService authorization) : PageModel
{
    public IncidentDetailDto Detail { get; private set; } = null!;
    public IncidentRecordDto Record { get; private set; } = new([], []);
    public bool CanRespond { get; private set; }
    /// <summary>Its public alerts in effect (for commanders, who issue and cancel them): closing the incident does not withdraw them.</summary>
    public IReadOnlyList<PublicAlertDto> AlertsInEffect { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>Form post from this page, or a fetch from the board (which then gets JSON back).</summary>
    public Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken ct) => ChangeAsync(id, new AcknowledgeIncidentCommand(id, User.Actor()), ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, [FromForm] string? outcome, [FromForm] string? notes, CancellationToken ct) =>
        ChangeAsync(id, new CloseIncidentCommand(id, User.Actor(), outcome, notes), ct);

    public Task<IActionResult> OnPostReopenAsync(Guid id, [FromForm] string? notes, CancellationToken ct) =>
        ChangeAsync(id, new ReopenIncidentCommand(id, User.Actor(), notes), ct);

    /// <summary>
    /// A change of kind and/or location. Only what the user changed from what the form was drawn with (<paramref name="drawnKind"/>,
    /// <paramref name="drawnLatitude"/>, <paramref name="drawnLongitude"/>) is sent as a change: a field left as it was does not undo a
    /// change someone else made after the form was drawn.
    /// </summary>
    public Task<IActionResult> OnPostCorrectAsync(Guid id, [FromForm] string? kind, [FromForm] string? latitude, [FromForm] string? longitude,
        [FromForm] string? reason, [FromForm] string? drawnKind, [FromForm] string? drawnLatitude, [FromForm] string? drawnLongitude, CancellationToken ct)
    {
        static double? Number(string? s) => double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
        return CorrectAsync();

        async Task<IActionResult> CorrectAsync()
        {
            if (await sender.Send(new GetIncidentQuery(id, WithTimeline: false), ct) is not { } detail)
                return NotFound();
            var i = detail.Incident;
            double? lat = Number(latitude), lon = Number(longitude);
            double fromLat = Number(drawnLatitude) ?? i.Latitude, fromLon = Number(drawnLongitude) ?? i.Longitude;
            var moved = lat is not null && lon is not null && (Math.Abs(lat.Value - fromLat) > 5e-7 || Math.Abs(lon.Value - fromLon) > 5e-7);
            return await ChangeAsync(id, new CorrectIncidentCommand(id, User.Actor(), kind == (drawnKind ?? i.Kind) ? null : kind,
                moved ? lat : null, moved ? lon : null, reason), ct);
        }
    }

    /// <summary>A note by any command staff (analysts too): plain text, kept and audited.</summary>
    public async Task<IActionResult> OnPostNoteAsync(Guid id, [FromForm] string? text, CancellationToken ct)
    {
        try
        {
            await sender.Send(new AddIncidentNoteCommand(id, User.Actor(), text), ct);
            return RedirectToPage(new { id });
        }
        catch (Exception ex) when (ex is DomainRuleException or ValidationException)
        {
            ModelState.AddModelError(string.Empty, Message(ex));
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private async Task<IActionResult> ChangeAsync(Guid id, ICommand<IncidentDto> command, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.IncidentResponders)).Succeeded)
            return Forbid();
        var fromScript = Request.Headers.Accept.ToString().Contains("application/json");
        try
        {
            var incident = await sender.Send(command, ct);
            return fromScript ? new JsonResult(incident) : RedirectToPage(new { id });
        }
        catch (Exception ex) when (ex is DomainRuleException or ValidationException)
        {
            var message = Message(ex);
            if (fromScript)
                return new ObjectResult(new ProblemDetails { Status = 409, Title = "The request was refused.", Detail = message }) { StatusCode = 409 };
            ModelState.AddModelError(string.Empty, message);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private static string Message(Exception ex) =>
        ex is DomainRuleException d ? d.Message : string.Join(" ", ((ValidationException)ex).Errors.Select(e => e.ErrorMessage).Distinct());

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await sender.Send(new GetIncidentQuery(id), ct) is not { } detail)
            return false;
        Detail = detail;
        Record = await sender.Send(new GetIncidentRecordQuery(id), ct) ?? Record;
        CanRespond = (await authorization.AuthorizeAsync(User, Policies.IncidentResponders)).Succeeded;
        if (User.IsInAnyRole(Roles.Commanders))
            AlertsInEffect = await sender.Send(new ListIncidentPublicAlertsInEffectQuery(id), ct);
        return true;
    }
}
