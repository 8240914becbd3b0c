using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Shared.Jobs;

namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

internal static class HotspotSetup
{
    /// <summary>The hotspot options (Intelligence:Hotspots, checked at start) and the recurring forecast job.</summary>
    public static IServiceCollection AddHotspotForecasts(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<HotspotOptions>().Bind(config.GetSection(HotspotOptions.Section))
            .PostConfigure(o => o.TimeZone = config["City:TimeZone"] is { Length: > 0 } zone ? zone : o.TimeZone)
            .Validate(o => o.CellMeters is >= 10 and <= 5000, "Intelligence:Hotspots:CellMeters must be 10–5000.")
            .Validate(o => o.ShareFlagged is > 0 and <= 1, "Intelligence:Hotspots:ShareFlagged must be in (0, 1].")
            .Validate(o => o.ShiftHours is >= 1 and <= 24, "Intelligence:Hotspots:ShiftHours must be 1–24.")
            .Validate(o => o.FirstShiftHour is >= 0 and < 24, "Intelligence:Hotspots:FirstShiftHour must be 0–23.")
            .ValidateOnStart();
        services.AddScoped<ForecastHotspotsJob>();
        var cron = config[$"{HotspotOptions.Section}:CronExpression"] is { Length: > 0 } c ? c : new HotspotOptions().CronExpression;
        return services.AddRecurringJob<ForecastHotspotsJob>(ForecastHotspotsJob.Id, j => j.RunAsync(CancellationToken.None), cron);
    }
}
