using System.ComponentModel.DataAnnotations;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Sensors.Pages.Admin;

/// <summary>
/// Administrators' threshold rules for environmental sensors: when a quantity (or the AQI) stays beyond a threshold for a duration, an incident
/// of its kind opens; it clears past the clear level. Create, change, disable; every save is validated by the module and audited.
/// </summary>
internal sealed class RulesModel(ISender sender) : PageModel
{
    [BindProperty]
    public RuleInput Input { get; set; } = new();

    public IReadOnlyList<ThresholdRuleDto> Rules { get; private set; } = [];
    public IReadOnlyList<EnvironmentalQuantityDto> Quantities { get; private set; } = [];
    public Guid? Editing { get; private set; }
    public object RulesData { get; private set; } = Array.Empty<object>();

    [TempData]
    public string? Status { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (id is { } edit)
        {
            if (Rules.SingleOrDefault(r => r.Id == edit) is not { } rule)
                return NotFound();
            Editing = edit;
            Input = RuleInput.From(rule);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var saved = await sender.Send(new SaveThresholdRuleCommand(id, Input.ToDto(), User.Actor()), ct);
                if (saved is null)
                    return NotFound();
                Status = $"Rule \"{saved.Name}\" {(id is null ? "created" : "saved")}.";
                return RedirectToPage();
            }
            catch (FluentValidation.ValidationException ex)
            {
                foreach (var (field, messages) in ValidationErrors.ByField(ex))
                {
                    // The command names fields "Rule.Threshold", "clearLevel", "area": the form's are Input.Threshold, Input.ClearLevel.
                    var last = field.Split('.')[^1];
                    var key = last.Length == 0 ? "" : $"{nameof(Input)}.{char.ToUpperInvariant(last[0])}{last[1..]}";
                    foreach (var message in messages)
                        ModelState.AddModelError(ModelState.ContainsKey(key) ? key : "", message);
                }
            }
        }
        Editing = id;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rules = await sender.Send(new ListThresholdRulesQuery(), ct);
        Quantities = await sender.Send(new ListEnvironmentalQuantitiesQuery(), ct);
        RulesData = Rules.Where(r => r.RadiusMeters is not null)
            .Select(r => new { r.Name, r.CenterLatitude, r.CenterLongitude, r.RadiusMeters, r.Enabled });
    }

    public static string Describe(ThresholdRuleDto r, IReadOnlyList<EnvironmentalQuantityDto> quantities)
    {
        var q = quantities.FirstOrDefault(x => x.Code == r.Quantity);
        var unit = q?.Unit ?? "AQI";
        var label = q?.Label ?? "Air quality index";
        var sustained = r.SustainedSeconds == 0 ? "at once" : r.SustainedSeconds % 60 == 0 ? $"for {r.SustainedSeconds / 60} min" : $"for {r.SustainedSeconds} s";
        if (r.ChangeWindowSeconds is { } window)
            (label, unit) = ($"{label} change within {(window % 60 == 0 ? $"{window / 60} min" : $"{window} s")}", "%");
        return $"{label} {(r.Above ? "≥" : "≤")} {r.Threshold} {unit} {sustained}; clears {(r.Above ? "below" : "above")} {r.ClearLevel} {unit}";
    }

    internal sealed class RuleInput
    {
        [Required, StringLength(120)]
        public string Name { get; set; } = "";

        [Required]
        public string Quantity { get; set; } = "aqi";

        /// <summary>"above" (a rise: AQI, PGA, gust) or "below" (a fall: pipe pressure).</summary>
        [Required, RegularExpression("^(above|below)$")]
        public string Direction { get; set; } = "above";

        [Required]
        public double? Threshold { get; set; }

        [Required, Display(Name = "Clear level")]
        public double? ClearLevel { get; set; }

        [Required, Range(0, 1440), Display(Name = "Sustained (minutes)")]
        public double? SustainedMinutes { get; set; } = 0;

        [Required]
        public string Severity { get; set; } = "medium";

        [Display(Name = "Centre latitude")]
        public double? CenterLatitude { get; set; }

        [Display(Name = "Centre longitude")]
        public double? CenterLongitude { get; set; }

        [Display(Name = "Radius (m)")]
        public double? RadiusMeters { get; set; }

        public bool Enabled { get; set; } = true;

        /// <summary>Empty: threshold and clear level are values. Set: they are changes in percent within this many minutes.</summary>
        [Range(0.17, 1440), Display(Name = "Change within (minutes)")]
        public double? ChangeWindowMinutes { get; set; }

        public ThresholdRuleDto ToDto() => new(Name, Quantity, Direction == "above", Threshold!.Value, ClearLevel!.Value,
            (int)Math.Round(SustainedMinutes!.Value * 60), Severity, CenterLatitude, CenterLongitude, RadiusMeters, Enabled,
            ChangeWindowSeconds: ChangeWindowMinutes is { } m ? (int)Math.Round(m * 60) : null);

        public static RuleInput From(ThresholdRuleDto r) => new()
        {
            Name = r.Name, Quantity = r.Quantity, Direction = r.Above ? "above" : "below", Threshold = r.Threshold, ClearLevel = r.ClearLevel,
            SustainedMinutes = r.SustainedSeconds / 60.0, Severity = r.Severity, CenterLatitude = r.CenterLatitude, CenterLongitude = r.CenterLongitude,
            RadiusMeters = r.RadiusMeters, Enabled = r.Enabled, ChangeWindowMinutes = r.ChangeWindowSeconds / 60.0,
        };
    }
}
