using System.ComponentModel.DataAnnotations;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages.Admin;

internal sealed class ApiClientsModel(ISender sender) : PageModel
{
    [BindProperty]
    public ClientInput Input { get; set; } = new();

    public IReadOnlyList<ApiKeyDto> Clients { get; private set; } = [];
    public string? NewKey { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Clients = await sender.Send(new ListApiClientsQuery(), ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!Roles.People.Contains(Input.Role))
            ModelState.AddModelError("Input.Role", "Choose one of the listed roles.");
        if (ModelState.IsValid)
        {
            NewKey = await sender.Send(new CreateApiClientCommand(Input.Name.Trim(), Input.Role, User.Actor()), ct);
            ModelState.Clear();
            Input = new ClientInput();
        }
        Clients = await sender.Send(new ListApiClientsQuery(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        await sender.Send(new RevokeApiKeyCommand(id), ct);
        return RedirectToPage();
    }

    internal sealed class ClientInput
    {
        [Required, StringLength(120, MinimumLength = 2)]
        public string Name { get; set; } = "";

        [Required]
        public string Role { get; set; } = Roles.Analyst;
    }
}
