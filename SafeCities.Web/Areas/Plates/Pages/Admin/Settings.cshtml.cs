using FluentValidation;
using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Web.Areas.Plates.Pages.Admin;

internal sealed class SettingsModel(ISender sender) : PageModel
{
    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    public PlatesReactionSettingsDto Current { get; private set; } = null!;
    public string? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Input = SettingsInput.From(Current = await sender.Send(new GetPlatesReactionSettingsQuery(), ct));

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            Current = await sender.Send(new UpdatePlatesReactionSettingsCommand(Input.TriggerKinds, Input.RadiusMeters, Input.WindowBeforeMinutes,
                Input.WindowAfterMinutes, Input.MaxBatchSize, User.Actor()), ct);
            Input = SettingsInput.From(Current);
            Saved = "Settings saved.";
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex, nameof(Input));
            Current = await sender.Send(new GetPlatesReactionSettingsQuery(), ct);
        }
        return Page();
    }

    internal sealed class SettingsInput
    {
        public List<string> TriggerKinds { get; set; } = [];
        public int RadiusMeters { get; set; }
        public int WindowBeforeMinutes { get; set; }
        public int WindowAfterMinutes { get; set; }
        public int MaxBatchSize { get; set; }

        public static SettingsInput From(PlatesReactionSettingsDto s) => new()
        {
            TriggerKinds = [.. s.TriggerKinds], RadiusMeters = s.RadiusMeters, WindowBeforeMinutes = s.WindowBeforeMinutes,
            WindowAfterMinutes = s.WindowAfterMinutes, MaxBatchSize = s.MaxBatchSize,
        };
    }
}
