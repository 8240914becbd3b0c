using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>An event of a forecast's input, with where it came from (the platform's sensors or a reported call).</summary>
internal readonly record struct SourcedEvent(DateTimeOffset At, double Latitude, double Longitude, bool FromSensor, string? CallType);

/// <summary>
/// Scores the forecasts whose shift has ended, then forecasts the next shift. Gunshot incidents come from Alerts through its contract
/// (<see cref="ListIncidentPointsQuery"/>), calls for service from Intelligence's own records; both are only read. Each crime type's
/// forecasts are written in one short transaction after the computing is done, so ingestion never waits on this job.
/// </summary>
internal sealed class RunHotspotForecastsCommandHandler(IntelligenceDbContext db, ISender sender, TimeProvider clock, IOptions<HotspotOptions> options,
    ILogger<RunHotspotForecastsCommandHandler> logger) : ICommandHandler<RunHotspotForecastsCommand, HotspotRunDto>
{
    private const double HistoryDays = 1460;
    private const int MaxScoredPerRun = 500;

    public async ValueTask<HotspotRunDto> Handle(RunHotspotForecastsCommand command, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var at = (command.At ?? clock.GetUtcNow()).ToUniversalTime();
        var scored = await ScorePastAsync(at, cancellationToken);
        var next = NextShiftStart(at, o);
        var made = 0;
        if (next - at <= TimeSpan.FromMinutes(o.LeadMinutes))
            made = await ForecastAsync(at, next, next.AddHours(o.ShiftHours), cancellationToken);
        return new HotspotRunDto(made, scored, next);
    }

    /// <summary>The first shift start (city time: FirstShiftHour + k × ShiftHours) after <paramref name="at"/>.</summary>
    internal static DateTimeOffset NextShiftStart(DateTimeOffset at, HotspotOptions o)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone);
        var localDay = TimeZoneInfo.ConvertTime(at, zone).Date;
        for (var day = -1; day <= 2; day++)
            for (var hours = (double)o.FirstShiftHour - 24; hours < 24; hours += o.ShiftHours)
            {
                if (hours < 0)
                    continue;
                var local = localDay.AddDays(day).AddHours(hours);
                if (zone.IsInvalidTime(local))
                    local = local.AddHours(1);
                var start = new DateTimeOffset(local, zone.GetUtcOffset(local));
                if (start > at)
                    return start.ToUniversalTime();
            }
        return at.AddHours(o.ShiftHours).ToUniversalTime();
    }

    private async Task<int> ScorePastAsync(DateTimeOffset at, CancellationToken ct)
    {
        var due = await db.HotspotForecasts.Include(f => f.Cells).Where(f => f.ScoredAt == null && f.WindowEnd <= at)
            .OrderBy(f => f.WindowEnd).Take(MaxScoredPerRun).ToListAsync(ct);
        if (due.Count == 0)
            return 0;
        var events = await LoadEventsAsync(due.Min(f => f.WindowStart), due.Max(f => f.WindowEnd), ct);
        foreach (var forecast in due)
        {
            var map = forecast.Map();
            var window = Select(events, forecast.CrimeType)
                .Where(e => e.At >= forecast.WindowStart && e.At < forecast.WindowEnd)
                .Select(e => map.Plane.CellAt(map.Project(e.Latitude, e.Longitude).X, map.Project(e.Latitude, e.Longitude).Y))
                .ToList();
            var flagged = forecast.Cells.OrderBy(c => c.Rank).Select(c => c.Cell).ToList();
            forecast.Scored(HotspotScoring.ScoreFlagged(flagged, window, forecast.ActiveCells), at);
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return due.Count;
    }

    private async Task<int> ForecastAsync(DateTimeOffset at, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var o = options.Value;
        // Only what is known now: events before this run (none of the shift's own).
        var events = await LoadEventsAsync(start.AddDays(-HistoryDays), at, ct);
        var lastYear = start.AddDays(-365);
        var callTypes = events.Where(e => !e.FromSensor && e.At >= lastYear && e.CallType is not null)
            .GroupBy(e => e.CallType!).Where(g => g.Count() >= o.MinEventsPerType)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(o.MaxCallTypes)
            .Select(g => HotspotCrimeTypes.CallPrefix + g.Key);
        // The last year's events located in their districts once, and only by a run that has a forecast to write (not by the runs that
        // find the shift already forecast).
        Dictionary<SourcedEvent, string?>? eventDistricts = null;
        var made = 0;
        foreach (var crimeType in (string[])[HotspotCrimeTypes.Gunshots, HotspotCrimeTypes.All, .. callTypes])
        {
            var input = Select(events, crimeType).ToList();
            var recent = input.Where(e => e.At >= lastYear).ToList();
            if (recent.Count == 0)
                continue;
            var existing = await db.HotspotForecasts.AsNoTracking().Where(f => f.CrimeType == crimeType && f.WindowStart == start).Select(f => f.Model).ToListAsync(ct);
            // (The job runs every half hour, so up to three runs fall before a shift: the models already forecast are not computed again.)
            var forecasts = Forecast(crimeType, input, recent, at, start, end, o, existing).ToList();
            if (forecasts.Count == 0)
                continue;
            eventDistricts ??= await DistrictsOfAsync(events.Where(e => e.At >= lastYear).ToList(), ct);
            await AddDistrictSharesAsync(forecasts, recent.Select(e => eventDistricts.GetValueOrDefault(e)).ToList(), ct);
            db.HotspotForecasts.AddRange(forecasts);
            try
            {
                await db.SaveChangesAsync(ct);
                made += forecasts.Count;
            }
            catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                logger.LogInformation("Hotspot forecasts for {CrimeType} at {Start} were written by another node meanwhile", crimeType, start);
            }
            db.ChangeTracker.Clear();
        }
        return made;
    }

    /// <summary>Each event's district code (null outside every district).</summary>
    private async Task<Dictionary<SourcedEvent, string?>> DistrictsOfAsync(List<SourcedEvent> events, CancellationToken ct)
    {
        var codes = await DistrictsAsync(events.Select(e => (e.Latitude, e.Longitude)).ToList(), ct);
        var districts = new Dictionary<SourcedEvent, string?>();
        for (var k = 0; k < events.Count; k++)
            districts.TryAdd(events[k], codes[k]);
        return districts;
    }

    private static IEnumerable<HotspotForecast> Forecast(string crimeType, List<SourcedEvent> input, List<SourcedEvent> recent, DateTimeOffset at,
        DateTimeOffset start, DateTimeOffset end, HotspotOptions o, List<string> alreadyMade)
    {
        var map = HotspotMap.Around(recent.Select(e => (e.Latitude, e.Longitude)), o.CellMeters);
        input = [.. input.Where(e => map.InCity(e.Latitude, e.Longitude))];   // a call geocoded to 0°, 0° is not the city's
        var plane = map.Plane;
        var cells = input.Select(e => map.Project(e.Latitude, e.Longitude)).Select(p => plane.CellAt(p.X, p.Y)).ToArray();
        var events = new EventSet(plane, input.Select(e =>
        {
            var (x, y) = map.Project(e.Latitude, e.Longitude);
            return new PlaneEvent(EventSet.Day(e.At), x, y);
        }));
        var fromDay = EventSet.Day(start);
        var active = HotspotScoring.ActiveCells(events, fromDay);
        var flaggedCount = HotspotScoring.FlaggedCount(o.ShareFlagged, active);
        var sensor = new Dictionary<int, int>();
        var reported = new Dictionary<int, int>();
        var lastYear = start.AddDays(-365);
        for (var i = 0; i < input.Count; i++)
            if (cells[i] >= 0 && input[i].At >= lastYear)
            {
                var counts = input[i].FromSensor ? sensor : reported;
                counts[cells[i]] = counts.GetValueOrDefault(cells[i]) + 1;
            }
        foreach (var model in HotspotModels.Standard(o.CellMeters, o.ShareFlagged).Where(m => !alreadyMade.Contains(m.Name)))
        {
            var forecast = model.Forecast(events, fromDay, (end - start).TotalDays);
            var flagged = HotspotScoring.Flag(forecast.Score, flaggedCount);
            var id = Guid.CreateVersion7();
            yield return new HotspotForecast
            {
                Id = id, CrimeType = crimeType, Model = model.Name, IssuedAt = at, WindowStart = start, WindowEnd = end,
                South = map.South, West = map.West, North = map.North, East = map.East, CellMeters = o.CellMeters, Share = o.ShareFlagged,
                ActiveCells = active, TrainingEvents = input.Count,
                Cells = [.. flagged.Select((cell, rank) => new HotspotCell
                {
                    Id = Guid.CreateVersion7(), ForecastId = id, Rank = rank + 1, Cell = cell, Score = forecast.Score[cell],
                    BackgroundShare = forecast.Background is { } b && forecast.Score[cell] > 0 ? b[cell] / forecast.Score[cell] : null,
                    SensorEvents = sensor.GetValueOrDefault(cell), ReportedEvents = reported.GetValueOrDefault(cell),
                })],
            };
        }
    }

    /// <summary>The fairness check: per district, the forecast's flagged cells (by centre) against the type's recorded events of the last year.</summary>
    private async Task AddDistrictSharesAsync(List<HotspotForecast> forecasts, List<string?> eventDistricts, CancellationToken ct)
    {
        var centres = forecasts.SelectMany(f => f.Cells.Select(c => (f, c))).Select(x =>
        {
            var map = x.f.Map();
            var (cx, cy) = map.Plane.Centre(x.c.Cell);
            return map.Unproject(cx, cy);
        }).ToList();
        var cellDistricts = await DistrictsAsync(centres, ct);
        var eventsPer = eventDistricts.GroupBy(d => d ?? "").ToDictionary(g => g.Key, g => g.Count());
        var i = 0;
        foreach (var forecast in forecasts)
        {
            var flaggedPer = forecast.Cells.Select(_ => cellDistricts[i++] ?? "").GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
            forecast.Districts = [.. eventsPer.Keys.Union(flaggedPer.Keys).Order(StringComparer.Ordinal)
                .Select(code => new HotspotDistrictShare(code.Length == 0 ? null : code, flaggedPer.GetValueOrDefault(code), eventsPer.GetValueOrDefault(code)))];
        }
    }

    /// <summary>The district of each point (Platform's contract, at most 100,000 points a query).</summary>
    private async Task<List<string?>> DistrictsAsync(List<(double Latitude, double Longitude)> points, CancellationToken ct)
    {
        var codes = new List<string?>(points.Count);
        foreach (var chunk in points.Chunk(100_000))
            codes.AddRange(await sender.Send(new LocateDistrictsQuery([.. chunk.Select(p => new DistrictPointDto(p.Latitude, p.Longitude))]), ct));
        return codes;
    }

    private static IEnumerable<SourcedEvent> Select(IEnumerable<SourcedEvent> events, string crimeType) => crimeType switch
    {
        HotspotCrimeTypes.Gunshots => events.Where(e => e.FromSensor),
        HotspotCrimeTypes.All => events,
        _ when crimeType.StartsWith(HotspotCrimeTypes.CallPrefix, StringComparison.Ordinal) =>
            events.Where(e => !e.FromSensor && e.CallType == crimeType[HotspotCrimeTypes.CallPrefix.Length..]),
        _ => [],
    };

    private async Task<List<SourcedEvent>> LoadEventsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var shots = await sender.Send(new ListIncidentPointsQuery(IncidentKinds.Gunshot, from, to), ct);
        var calls = await db.Records.AsNoTracking()
            .Where(r => r.Kind == RecordKinds.CallForService && r.Latitude != null && r.Longitude != null && r.StartedAt >= from && r.StartedAt < to)
            .Select(r => new { r.StartedAt, r.Latitude, r.Longitude, r.Details })
            .ToListAsync(ct);
        return
        [
            .. shots.Select(s => new SourcedEvent(s.OpenedAt, s.Latitude, s.Longitude, FromSensor: true, CallType: null)),
            .. calls.Select(c => new SourcedEvent(c.StartedAt!.Value, c.Latitude!.Value, c.Longitude!.Value, FromSensor: false,
                c.Details.TryGetValue("callType", out var type) && type.Trim().Length > 0 ? type.Trim().ToLowerInvariant() : null)),
        ];
    }
}

internal sealed class RunHotspotForecastsCommandValidator : AbstractValidator<RunHotspotForecastsCommand>
{
    public RunHotspotForecastsCommandValidator() =>
        RuleFor(c => c.At).Must(at => at is null || at.Value.Year is >= 2000 and < 2200).WithMessage("'At' is not a plausible time.");
}

/// <summary>The recurring job (Intelligence:Hotspots:CronExpression): scores what has passed, forecasts what comes next.</summary>
internal sealed class ForecastHotspotsJob(ISender sender)
{
    public const string Id = "intelligence:forecast-hotspots";

    public async Task RunAsync(CancellationToken cancellationToken) => await sender.Send(new RunHotspotForecastsCommand(), cancellationToken);
}
