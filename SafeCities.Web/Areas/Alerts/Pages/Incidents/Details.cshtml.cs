using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Alerts.Pages.Incidents;

internal sealed class DetailsModel(ISender sender, IAuthorizationService authorization) : PageModel
{
    public IncidentDetailDto Detail { get; private set; } = null!;
    public bool CanRespond { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>Form post from this page, or a fetch from the board (which then gets JSON back).</summary>
    public Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken ct) => ChangeAsync(id, new AcknowledgeIncidentCommand(id, User.Actor()), ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) => ChangeAsync(id, new CloseIncidentCommand(id, User.Actor()), ct);

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
            var message = ex is DomainRuleException d ? d.Message : string.Join(" ", ((ValidationException)ex).Errors.Select(e => e.ErrorMessage));
            if (fromScript)
                return new ObjectResult(new ProblemDetails { Status = 409, Title = "The request was refused.", Detail = message }) { StatusCode = 409 };
            ModelState.AddModelError(string.Empty, message);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await sender.Send(new GetIncidentQuery(id), ct) is not { } detail)
            return false;
        Detail = detail;
        CanRespond = (await authorization.AuthorizeAsync(User, Policies.IncidentResponders)).Succeeded;
        return true;
    }
}
