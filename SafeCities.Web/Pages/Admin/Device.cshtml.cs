using System.ComponentModel.DataAnnotations;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Web.Pages.Admin;

/// <summary>One device: rename or move it, replace its key (shown once) or revoke it. Every change is audited.</summary>
internal sealed class DeviceModel(ISender sender) : PageModel
{
    [BindProperty]
    public EditInput Input { get; set; } = new();

    public DeviceDto Device { get; private set; } = null!;
    public bool HasKey { get; private set; }
    public string? NewKey { get; private set; }

    [TempData]
    public string? Status { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        Input = new EditInput { Name = Device.Name, Latitude = Device.Latitude, Longitude = Device.Longitude, ElevationMeters = Device.ElevationMeters };
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(Guid id, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                if (await sender.Send(new EditDeviceCommand(id, Input.Name, Input.Latitude!.Value, Input.Longitude!.Value, Input.ElevationMeters, User.Actor()), ct) is null)
                    return NotFound();
                Status = "Saved.";
                return RedirectToPage(new { id });
            }
            catch (FluentValidation.ValidationException ex)
            {
                ModelState.AddValidationErrors(ex, nameof(Input));
            }
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    /// <summary>Replaces the key and shows the new one on this answer only (no redirect: the key is never stored in clear anywhere).</summary>
    public async Task<IActionResult> OnPostReplaceKeyAsync(Guid id, CancellationToken ct)
    {
        var change = await sender.Send(new ChangeDeviceKeyCommand(id, true, User.Actor()), ct);
        if (change is null || !await LoadAsync(id, ct))
            return NotFound();
        NewKey = change.ApiKey;
        ModelState.Clear();
        Input = new EditInput { Name = Device.Name, Latitude = Device.Latitude, Longitude = Device.Longitude, ElevationMeters = Device.ElevationMeters };
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(Guid id, CancellationToken ct)
    {
        if (await sender.Send(new ChangeDeviceKeyCommand(id, false, User.Actor()), ct) is null)
            return NotFound();
        Status = "Key revoked: the device can no longer report until a new key is issued.";
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if ((await sender.Send(new ListDevicesQuery(), ct)).SingleOrDefault(d => d.Id == id) is not { } device)
            return false;
        Device = device;
        HasKey = (await sender.Send(new ListDeviceKeyStatesQuery(), ct)).GetValueOrDefault(id);
        return true;
    }

    internal sealed class EditInput
    {
        [Required, StringLength(120)]
        public string Name { get; set; } = "";

        [Required, Range(-90, 90)]
        public double? Latitude { get; set; }

        [Required, Range(-180, 180)]
        public double? Longitude { get; set; }

        [Range(-500, 9000)]
        public double? ElevationMeters { get; set; }
    }
}
