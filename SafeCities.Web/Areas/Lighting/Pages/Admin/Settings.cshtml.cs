using FluentValidation;
using SafeCities.Modules.Lighting.Contracts;

namespace SafeCities.Web.Areas.Lighting.Pages.Admin;

/// <summary>How Lighting reacts to incidents (trigger kinds, radius, level, duration). Every change is audited by the command.</summary>
internal sealed class SettingsModel(ISender sender) : PageModel
{
    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    public LightingReactionSettingsDto Current { get; private set; } = LightingReactionSettingsDto.Defaults;
    public bool Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Input = SettingsInput.From(Current = await sender.Send(new GetLightingReactionSettingsQuery(), ct));

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                Current = await sender.Send(new UpdateLightingReactionSettingsCommand(Input.TriggerKinds, Input.RadiusMeters ?? 0, Input.LevelPercent ?? 0,
                    Input.DurationMinutes ?? 0, User.Actor()), ct);
                Saved = true;
                return Page();
            }
            catch (ValidationException ex)
            {
                ModelState.AddValidationErrors(ex, nameof(Input));
            }
        }
        Current = await sender.Send(new GetLightingReactionSettingsQuery(), ct);
        return Page();
    }

    internal sealed class SettingsInput
    {
        public List<string> TriggerKinds { get; set; } = [];
        public int? RadiusMeters { get; set; }
        public int? LevelPercent { get; set; }
        public int? DurationMinutes { get; set; }

        public static SettingsInput From(LightingReactionSettingsDto s) => new()
        {
            TriggerKinds = s.TriggerKinds.ToList(), RadiusMeters = s.RadiusMeters, LevelPercent = s.LevelPercent, DurationMinutes = s.DurationMinutes,
        };
    }
}
