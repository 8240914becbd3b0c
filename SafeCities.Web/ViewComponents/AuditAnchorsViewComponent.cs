using SafeCities.Modules.Shared.Audit;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// The transparency page's audit section: the public key and the latest signed daily anchors of the audit hash chain (ADR 0046), with how to
/// check an export against them. Hashes only: the public never sees an entry. Use: <c>@await Component.InvokeAsync("AuditAnchors")</c>.
/// </summary>
public sealed class AuditAnchorsViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View(await sender.Send(new GetAuditAnchorsQuery(14), HttpContext.RequestAborted));
}
