using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Web.Areas.Lighting.Pages.Admin;

/// <summary>The streetlight registry: map, list, and chunked CSV import (the browser posts chunks to the import API and shows progress).</summary>
internal sealed class StreetlightsModel(ISender sender) : PageModel
{
    public const int ChunkSize = 100;

    public IReadOnlyList<DeviceDto> Lights { get; private set; } = [];
    public object PointsData { get; private set; } = Array.Empty<object>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Lights = await sender.Send(new ListStreetlightsQuery(), ct);
        PointsData = Lights.Select(l => new { l.Name, l.Latitude, l.Longitude, l.Settings });
    }

    public static string Setting(DeviceDto light, string key) => light.Settings.TryGetValue(key, out var value) ? value?.ToString() ?? "" : "";
}
