using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Web.Platform;

namespace SafeCities.Web.Pages.Admin;

internal sealed class DevicesModel(ISender sender) : PageModel
{
    [BindProperty]
    public DeviceInput Input { get; set; } = new();

    public IReadOnlyList<DeviceDto> Devices { get; private set; } = [];
    /// <summary>The kinds the modules declare.</summary>
    public IReadOnlyList<string> Kinds { get; private set; } = [];
    public string? Kind { get; private set; }
    public object PointsData { get; private set; } = Array.Empty<object>();
    public RegisteredDeviceDto? Registered { get; private set; }

    public async Task OnGetAsync(string? kind, CancellationToken ct) => await LoadAsync(kind, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var settings = string.IsNullOrWhiteSpace(Input.SettingsJson) ? (JsonElement?)null : JsonDocument.Parse(Input.SettingsJson).RootElement;
                Registered = await sender.Send(new RegisterDeviceCommand(Input.Kind, Input.Name, Input.Latitude!.Value, Input.Longitude!.Value,
                    Input.ElevationMeters, settings, User.Actor()), ct);
                Input = new DeviceInput { Kind = Input.Kind };
                ModelState.Clear();
            }
            catch (JsonException ex)
            {
                ModelState.AddModelError("Input.SettingsJson", $"Settings are not valid JSON: {ex.Message}");
            }
            catch (FluentValidation.ValidationException ex)
            {
                ModelState.AddValidationErrors(ex, nameof(Input));
            }
        }
        await LoadAsync(null, ct);
        return Page();
    }

    private async Task LoadAsync(string? kind, CancellationToken ct)
    {
        Kinds = await sender.Send(new ListDeviceKindsQuery(), ct);
        Kind = Kinds.Contains(kind ?? "") ? kind : null;
        Devices = await sender.Send(new ListDevicesQuery(Kind), ct);
        PointsData = Devices.Select(d => new { d.Name, d.Kind, d.Latitude, d.Longitude, d.Settings });
    }

    internal sealed class DeviceInput
    {
        [Required]
        public string Kind { get; set; } = "";

        [Required, StringLength(120)]
        public string Name { get; set; } = "";

        [Required, Range(-90, 90)]
        public double? Latitude { get; set; }

        [Required, Range(-180, 180)]
        public double? Longitude { get; set; }

        [Range(-500, 9000)]
        public double? ElevationMeters { get; set; }

        public string? SettingsJson { get; set; }
    }
}
