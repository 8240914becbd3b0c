using SafeCities.Modules.Sensors.Contracts;

namespace SafeCities.Web.Areas.Sensors.Pages;

/// <summary>
/// Environmental sensors for command staff: a map with each sensor's live value (AQI colours for air quality), a table of the latest values,
/// and one sensor's chart over 24 h / 7 d / 30 d with the thresholds of the rules that watch it.
/// </summary>
internal sealed class EnvironmentModel(ISender sender) : PageModel
{
    public IReadOnlyList<EnvironmentalSensorDto> Sensors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Sensors = await sender.Send(new ListEnvironmentalSensorsQuery(), ct);
    }

    /// <summary>The EPA's colour of an AQI category (Bootstrap-free: the same in the table and on the map).</summary>
    public static string AqiClass(string? category) => category switch
    {
        "Good" => "aqi-good",
        "Moderate" => "aqi-moderate",
        "Unhealthy for sensitive groups" => "aqi-usg",
        "Unhealthy" => "aqi-unhealthy",
        "Very unhealthy" => "aqi-very-unhealthy",
        "Hazardous" => "aqi-hazardous",
        _ => "aqi-none",
    };
}
