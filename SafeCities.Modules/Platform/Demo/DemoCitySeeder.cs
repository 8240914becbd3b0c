using Bogus;
using Hangfire;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Devices;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Demo;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Time;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// The demo city (Development, <c>Demo:Enabled</c>): Washington, D.C. — acoustic sensors over Wards 7 and 8 (where the city's
/// real gunshot-detection coverage is), a gunshot feed, streetlights, cameras and plate readers along plausible streets,
/// and the partner agencies. Generated with a fixed seed so every newcomer sees the same city.
/// </summary>
internal sealed class DemoCitySeeder(DeviceRegistry devices, ISender sender, DemoIntelligence intelligence, IConfiguration config, TimeProvider clock,
    IBackgroundJobClient jobs, ILogger<DemoCitySeeder> logger)
    : IStartupTask
{
    private const string By = "demo-city";
    // Congress Heights / Anacostia, south-east Washington, D.C.
    internal const double CenterLat = 38.8530, CenterLon = -76.9930;
    internal const string PoliceName = "Metropolitan Police Department";

    public async Task RunAsync(CancellationToken ct)
    {
        if (!config.GetValue("Demo:Enabled", false))
            return;
        await SeedAddressesAsync(ct);
        await SeedDistrictsAsync(ct);
        await SeedEnvironmentAsync(ct);
        if ((await devices.ListAsync(SensorDeviceKinds.GunshotFeed, ct)).Count == 0)   // not seeded before (the feed is the first device)
            await SeedCityAsync(ct);
        await SeedHistoryAsync(ct);
    }

    private async Task SeedCityAsync(CancellationToken ct)
    {
        var f = new Faker("en_US") { Random = new Randomizer(2026) };
        await RegisterAsync(SensorDeviceKinds.GunshotFeed, "Gunshot detection feed (demo)", CenterLat, CenterLon, null, ct, config["Demo:GunshotFeedKey"]);
        var acoustic = new List<(string Name, double Lat, double Lon)>();
        for (var row = 0; row < 4; row++)
            for (var col = 0; col < 4; col++)
            {
                var (name, lat, lon) = ($"Acoustic {(char)('A' + row)}{col + 1}",
                    CenterLat + (row - 1.5) * 0.0072 + f.Random.Double(-0.0015, 0.0015), CenterLon + (col - 1.5) * 0.0092 + f.Random.Double(-0.0015, 0.0015));
                await RegisterAsync(SensorDeviceKinds.AcousticSensor, name, lat, lon, null, ct, elevation: f.Random.Double(8, 14));
                acoustic.Add((name, lat, lon));
            }
        for (var i = 0; i < 400; i++)
            await RegisterAsync(LightingDeviceKinds.Streetlight, $"SL-{i + 1:0000} {f.Address.StreetName()}", Near(f, 0.018), ct,
                new { circuit = $"C-{i / 20 + 1:00}", controllerId = $"SEG-{i / 100 + 1}", normalLevel = f.PickRandom(30, 40, 50) });
        for (var i = 0; i < 40; i++)
        {
            var ptz = i % 3 == 0;
            await RegisterAsync(VideoDeviceKinds.Camera, $"{(ptz ? "PTZ" : "Cam")} {f.Address.StreetName()}", Near(f, 0.016), ct, ptz
                ? new { type = "ptz", rangeMeters = 250.0, streamUrl = $"rtsp://video.demo.safecities.test/cam{i + 1}", recordingSystemId = "vms-1" }
                : (object)new
                {
                    type = "fixed", headingDegrees = (double)f.Random.Int(0, 359), fieldOfViewDegrees = (double)f.PickRandom(60, 75, 90),
                    rangeMeters = 120.0, streamUrl = $"rtsp://video.demo.safecities.test/cam{i + 1}", recordingSystemId = "vms-1",
                });
        }
        // Where the city hears gunfire it also watches: a PTZ camera on a pole near each acoustic sensor (the simulated shots fall within
        // 350 m of one), so that most demo incidents show cameras turning, as a city's real-time crime centre would have it.
        for (var i = 0; i < acoustic.Count; i++)
            await RegisterAsync(VideoDeviceKinds.Camera, $"PTZ {f.Address.StreetName()} ({acoustic[i].Name[^2..]})",
                GeoMath.Offset(acoustic[i].Lat, acoustic[i].Lon, f.Random.Int(30, 80), f.Random.Int(0, 359)), ct,
                new { type = "ptz", rangeMeters = 250.0, streamUrl = $"rtsp://video.demo.safecities.test/cam{41 + i}", recordingSystemId = "vms-1" });
        for (var i = 0; i < 12; i++)
            await RegisterAsync(PlatesDeviceKinds.PlateReader, $"LPR {f.Address.StreetName()}", Near(f, 0.02), ct,
                new { headingDegrees = (double)f.PickRandom(0, 90, 180, 270), lanes = f.Random.Int(1, 3) });
        var agencies = new Dictionary<string, AgencyDto>();
        foreach (var (name, kind, state, partOfCity) in new[]
                 {
                     (PoliceName, AgencyKinds.Police, "DC", true), ("D.C. Department of Corrections (Central Detention Facility)", AgencyKinds.Jail, "DC", false),
                     ("Court Services and Offender Supervision Agency", AgencyKinds.Supervision, "DC", false), ("Superior Court of the District of Columbia", AgencyKinds.Court, "DC", false),
                     ("Federal Bureau of Prisons (demo)", AgencyKinds.Prison, null, false),
                 })
            agencies[kind] = await sender.Send(new RegisterAgencyCommand(name, kind, State: state, PartOfCity: partOfCity,
                Functions: state is null ? [AgencyFunctions.FederalLawEnforcement] : null), ct);
        await intelligence.SeedAsync(agencies, DemoIntelligence.AnalystEmail, DemoIntelligence.ProbationEmail, ct);
        await intelligence.SeedSharingRulesAsync(agencies[AgencyKinds.Police], ct);
        await SeedLookUpsAsync(ct);
        logger.LogInformation("Demo city seeded around Congress Heights, Washington, D.C.");
    }

    /// <summary>
    /// A few plate searches by the demo's analyst and commander, through the command the search page sends (stated case number, offence and
    /// purpose, audited), so that the audit log and oversight's overview show people's look-ups beside the platform's own entries.
    /// </summary>
    private async Task SeedLookUpsAsync(CancellationToken ct)
    {
        const string Commander = "commander@safecities.test";
        foreach (var (actor, plate, make, color, caseNumber, offence, purpose) in new (string, string?, string?, string?, string, string, string)[]
                 {
                     (DemoIntelligence.AnalystEmail, "LYL*", null, null, "2026-004512", "robbery", "silver sedan seen leaving the robbery on Alabama Ave SE"),
                     (DemoIntelligence.AnalystEmail, null, "Toyota", "silver", "2026-004512", "robbery", "vehicles matching the witness's description"),
                     (DemoIntelligence.AnalystEmail, "7KX*", null, null, "2026-004533", "burglary", "partial plate from a doorbell camera"),
                     (Commander, "LYL1848", null, null, "2026-004512", "robbery", "the analyst's lead, before the shift briefing"),
                 })
            await sender.Send(new SearchPlateReadsCommand(actor, null, purpose, plate, false, null, null, null, null, null, null, null, make, color,
                CaseNumber: caseNumber, Offence: offence), ct);
    }

    /// <summary>
    /// The past year of the police's calls for service (<see cref="DemoHistory"/>; also into a demo database seeded before it existed), through
    /// the records feed a CAD back-load uses, then the hotspot forecasts of the last four weeks' shifts made from it in the background (each
    /// from what was known before its shift, and scored), so that the analysts' pages open on a city with a past. Once: the first call
    /// already on record means it was done.
    /// </summary>
    private async Task SeedHistoryAsync(CancellationToken ct)
    {
        if ((await sender.Send(new ListAgenciesQuery(), ct)).FirstOrDefault(a => a.Name == PoliceName) is not { } police)
            return;
        if (await sender.Send(new RecordExistsQuery(police.Id, RecordKinds.CallForService, DemoHistory.FirstId), ct))
            return;
        var calls = DemoHistory.Calls(clock.GetUtcNow(), CenterLat, CenterLon, TimeZoneInfo.FindSystemTimeZoneById(CityZone.Id(config)));
        foreach (var chunk in calls.Chunk(1000))
            await sender.Send(new IngestRecordsCommand(police.Id, By, chunk), ct);
        jobs.Enqueue<DemoForecastBackfill>(j => j.RunAsync(CancellationToken.None));
        logger.LogInformation("Demo history seeded: {Calls} calls for service over {Days} days; the forecasts of the last shifts follow in the background",
            calls.Count, DemoHistory.Days);
    }

    /// <summary>The demo city's street addresses (also into a demo database seeded before addresses existed).</summary>
    private async Task SeedAddressesAsync(CancellationToken ct)
    {
        if (await sender.Send(new CountAddressPointsQuery(), ct) > 0)
            return;
        var lines = DemoAddresses.Lines(CenterLat, CenterLon);
        for (var i = 0; i < lines.Count; i += 500)
            await sender.Send(new ImportAddressPointsCommand(DemoAddresses.Header, i + 2, lines.Skip(i).Take(500).ToList(), By), ct);
    }

    /// <summary>The demo city's police districts (also into a demo database seeded before districts existed).</summary>
    private async Task SeedDistrictsAsync(CancellationToken ct)
    {
        if ((await sender.Send(new GetDistrictNamesQuery(), ct)).Count == 0)
            await sender.Send(new ImportDistrictsCommand(DemoDistricts.GeoJson(CenterLat, CenterLon), "code", "name", By), ct);
    }

    /// <summary>The demo city's environmental sensors and the rules that watch them (also into a demo database seeded before they existed).</summary>
    private async Task SeedEnvironmentAsync(CancellationToken ct)
    {
        if ((await devices.ListAsync(SensorDeviceKinds.EnvironmentalSensor, ct)).Count > 0 || config[DemoEnvironment.KeySetting] is not { Length: > 0 } baseKey)
            return;
        foreach (var (name, dLat, dLon, elevation, _) in DemoEnvironment.Sensors)
            await RegisterAsync(SensorDeviceKinds.EnvironmentalSensor, name, CenterLat + dLat, CenterLon + dLon, null, ct, DemoEnvironment.KeyOf(baseKey, name),
                elevation);
        if ((await sender.Send(new ListThresholdRulesQuery(), ct)).Count > 0)
            return;
        ThresholdRuleDto[] rules =
        [
            new("Unhealthy air (AQI over 150 for 30 min)", "aqi", true, 151, 140, 1800, "medium"),
            new("Earthquake shaking (PGA 0.1 g)", "pga", true, 0.1, 0.05, 0, "high"),
            new("Damaging gusts (25 m/s)", "wind_gust", true, 25, 20, 0, "medium"),
            new("Burst main (pressure under 200 kPa for 1 min)", "pipe_pressure", false, 200, 300, 60, "high"),
        ];
        foreach (var rule in rules)
            await sender.Send(new SaveThresholdRuleCommand(null, rule, By), ct);
    }

    private static (double, double) Near(Faker f, double spread) =>
        (CenterLat + f.Random.Double(-spread, spread) * 0.8, CenterLon + f.Random.Double(-spread, spread));

    private Task RegisterAsync(string kind, string name, (double Lat, double Lon) at, CancellationToken ct, object settings) =>
        RegisterAsync(kind, name, at.Lat, at.Lon, settings, ct);

    private async Task RegisterAsync(string kind, string name, double lat, double lon, object? settings, CancellationToken ct, string? key = null,
        double? elevation = null) =>
        await devices.RegisterAsync(new RegisterDeviceRequest(kind, name, lat, lon, elevation,
            settings is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(settings)), By, ct, key);
}
