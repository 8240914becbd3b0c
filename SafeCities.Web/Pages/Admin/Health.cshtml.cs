using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SafeCities.Web.Pages.Admin;

/// <summary>
/// <c>/Admin/Health</c>, the address operators are told, sends to the device-health page with the same filters. A page of its own, not a
/// second route of that page: with two routes the page's own links were generated with the alias.
/// </summary>
internal sealed class HealthModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/Admin/DeviceHealth" + Request.QueryString);
}
