using System.ComponentModel.DataAnnotations;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Web.Areas.Video.Pages.Admin;

internal sealed class SettingsModel(ISender sender) : PageModel
{
    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    public VideoReactionSettingsDto Current { get; private set; } = null!;
    public bool Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Current = await sender.Send(new GetVideoReactionSettingsQuery(), ct);
        Input = SettingsInput.From(Current);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var kinds = (Input.TriggerKinds ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(k => k.ToLowerInvariant()).ToList();
                Current = await sender.Send(new UpdateVideoReactionSettingsCommand(kinds, Input.PreSeconds!.Value, Input.PostMinutes!.Value,
                    Input.MaxPtzCameras!.Value, User.Actor()), ct);
                Input = SettingsInput.From(Current);
                ModelState.Clear();
                Saved = true;
                return Page();
            }
            catch (FluentValidation.ValidationException ex)
            {
                ModelState.AddValidationErrors(ex, nameof(Input));
            }
        }
        Current = await sender.Send(new GetVideoReactionSettingsQuery(), ct);
        return Page();
    }

    internal sealed class SettingsInput
    {
        [Display(Name = "Incident kinds")]
        public string? TriggerKinds { get; set; }

        [Required, Display(Name = "Seconds before")]
        public int? PreSeconds { get; set; }

        [Required, Display(Name = "Minutes after")]
        public int? PostMinutes { get; set; }

        [Required, Display(Name = "PTZ cameras at most")]
        public int? MaxPtzCameras { get; set; }

        public static SettingsInput From(VideoReactionSettingsDto s) => new()
        {
            TriggerKinds = string.Join(", ", s.TriggerKinds), PreSeconds = s.PreSeconds, PostMinutes = s.PostMinutes, MaxPtzCameras = s.MaxPtzCameras,
        };
    }
}
