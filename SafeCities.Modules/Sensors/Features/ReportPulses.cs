using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Domain;
using SafeCities.Modules.Sensors.Location;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Sensors.Features;

internal sealed class ReportPulsesCommandValidator : AbstractValidator<ReportPulsesCommand>
{
    public ReportPulsesCommandValidator(TimeProvider clock, IOptions<SensorsOptions> options)
    {
        var o = options.Value;
        RuleFor(c => c.DeviceId).NotEmpty();
        RuleFor(c => c.Pulses).NotEmpty().Must(p => p.Count <= o.MaxPulsesPerBatch).WithMessage($"At most {o.MaxPulsesPerBatch} pulses per request.")
            .Must(p => p.Select(x => x.PulseId).Distinct().Count() == p.Count).WithMessage("A pulseId appears twice in this batch.");
        RuleForEach(c => c.Pulses).ChildRules(p =>
        {
            p.RuleFor(x => x.PulseId).NotEmpty().MaximumLength(128);
            p.RuleFor(x => x.ArrivalTime).Must(t => t <= clock.GetUtcNow().AddSeconds(o.MaxClockSkewSeconds))
                .WithMessage("'Arrival Time' is in the future beyond the allowed clock skew.")
                .Must(t => t.Year >= 2000).WithMessage("'Arrival Time' is not a plausible time.");
            p.RuleFor(x => x.SnrDb).InclusiveBetween(-50, 200).When(x => x.SnrDb is not null);
            p.RuleFor(x => x.PowerDbSpl).InclusiveBetween(0, 250).When(x => x.PowerDbSpl is not null);
        });
    }
}

/// <summary>
/// Stores a sensor's pulses (once per sensor and pulse id), then tries to locate shots from every sensor's unassigned pulses
/// around them: pulses consistent with a shot located moments ago join it; the rest are grouped (<see cref="PulseGrouper"/>)
/// and located by multilateration (<see cref="TdoaSolver"/>). Each new shot becomes a detection and raises
/// <see cref="GunshotDetectedEvent"/> exactly like an external alert.
/// </summary>
internal sealed class ReportPulsesCommandHandler(SensorsDbContext db, GunshotOutbox outbox, TimeProvider clock, IOptions<SensorsOptions> options,
    SensorsMetrics metrics)
    : ICommandHandler<ReportPulsesCommand, PulseReportResult>
{
    private const double AbsorbToleranceSeconds = 0.05;
    private readonly SensorsOptions o = options.Value;

    public async ValueTask<PulseReportResult> Handle(ReportPulsesCommand command, CancellationToken cancellationToken)
    {
        var device = await db.Devices.FindAsync([command.DeviceId], cancellationToken);
        if (device is not { Kind: SensorDeviceKinds.AcousticSensor })
            throw new DomainRuleException("Only a registered acoustic sensor reports pulses.", 403);
        var (accepted, duplicates) = await StoreAsync(command, cancellationToken);
        var located = accepted == 0 ? [] : await LocateAsync(command.Pulses.Min(p => p.ArrivalTime), command.Pulses.Max(p => p.ArrivalTime), cancellationToken);
        metrics.Pulses(accepted, duplicates);
        if (located.Count > 0)
            metrics.Gunshot(SensorsMetrics.FromPulses, stored: true, located.Count);
        var shots = new List<LocatedShotDto>();
        foreach (var detection in located)
        {
            await outbox.DeliverAsync(detection.Id, cancellationToken);
            shots.Add(new LocatedShotDto(detection.Id, detection.OccurredAt, detection.Latitude, detection.Longitude,
                detection.UncertaintyMeters ?? 0, await db.Pulses.CountAsync(p => p.DetectionId == detection.Id, cancellationToken)));
        }
        return new PulseReportResult(accepted, duplicates, shots);
    }

    private async Task<(int Accepted, int Duplicates)> StoreAsync(ReportPulsesCommand command, CancellationToken ct)
    {
        var ids = command.Pulses.Select(p => p.PulseId).ToList();
        var known = (await db.Pulses.Where(p => p.DeviceId == command.DeviceId && ids.Contains(p.PulseId)).Select(p => p.PulseId).ToListAsync(ct)).ToHashSet();
        var now = clock.GetUtcNow();
        var fresh = command.Pulses.Where(p => !known.Contains(p.PulseId)).Select(p => new Pulse
        {
            Id = Guid.CreateVersion7(), DeviceId = command.DeviceId, PulseId = p.PulseId, ArrivalTime = p.ArrivalTime.ToUniversalTime(),
            SnrDb = p.SnrDb, PowerDbSpl = p.PowerDbSpl, ReceivedAt = now,
        }).ToList();
        db.Pulses.AddRange(fresh);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The same pulses arrived twice at once; the other request stored them.
            db.ChangeTracker.Clear();
            return (0, command.Pulses.Count);
        }
        return (fresh.Count, command.Pulses.Count - fresh.Count);
    }

    private async Task<List<GunshotDetection>> LocateAsync(DateTimeOffset first, DateTimeOffset last, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.PulseLocating})", ct);
        var window = TimeSpan.FromSeconds(o.PulseWindowSeconds);
        var (start, end) = (first - window, last + window);
        var pending = await (from p in db.Pulses
                             join d in db.Devices on p.DeviceId equals d.Id
                             where p.DetectionId == null && p.ArrivalTime >= start && p.ArrivalTime <= end && d.Kind == SensorDeviceKinds.AcousticSensor
                             select new { Pulse = p, d.Latitude, d.Longitude, d.ElevationMeters }).ToListAsync(ct);
        if (pending.Count == 0)
            return [];
        var frame = LocalFrame.Around(pending.Select(p => (p.Latitude, p.Longitude)));
        var c = SpeedOfSound.FromTemperature(o.AirTemperatureCelsius);
        var epoch = start;
        var sensorPulses = pending.ToDictionary(p => p.Pulse.Id.ToString(), p => (p.Pulse, Point: frame.ToLocal(p.Latitude, p.Longitude, p.ElevationMeters ?? 0)));

        await AbsorbIntoRecentShotsAsync(sensorPulses, frame, c, start, end, ct);

        var candidates = sensorPulses.Values.Where(v => v.Pulse.DetectionId is null)
            .Select(v => new SensorPulse(v.Pulse.Id.ToString(), v.Pulse.DeviceId.ToString(), v.Point, (v.Pulse.ArrivalTime - epoch).TotalSeconds)).ToList();
        var detections = new List<GunshotDetection>();
        var solver = new TdoaSolver(TdoaSolverOptions.Field);
        foreach (var group in PulseGrouper.Group(candidates, c))
        {
            var shot = solver.Solve(group.ToAcousticPulses(), o.AirTemperatureCelsius);
            var centroid = new Point3(group.Pulses.Average(p => p.Sensor.X), group.Pulses.Average(p => p.Sensor.Y), 0);
            if (shot is null || shot.UncertaintyMeters > o.MaxUncertaintyMeters || shot.Position.HorizontalDistanceTo(centroid) > 5000)
                continue;
            var members = group.Pulses.Select(p => sensorPulses[p.PulseId].Pulse).ToList();
            var (lat, lon) = frame.ToGeographic(shot.Position);
            var detection = new GunshotDetection
            {
                Id = Guid.CreateVersion7(), DeviceId = members[0].DeviceId, ExternalId = $"pulses:{members[0].Id:N}",
                OccurredAt = epoch + TimeSpan.FromSeconds(shot.EmissionTimeSeconds), Latitude = lat, Longitude = lon,
                UncertaintyMeters = Math.Round(shot.UncertaintyMeters, 1), Rounds = 1, Source = $"Acoustic sensors ({shot.SensorsUsed})",
                ReceivedAt = clock.GetUtcNow(),
            };
            db.Detections.Add(detection);
            outbox.Add(detection);
            members.ForEach(m => m.DetectionId = detection.Id);
            detections.Add(detection);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return detections;
    }

    /// <summary>A sensor that reports late still belongs to the shot the others located moments ago, not to a new one.</summary>
    private async Task AbsorbIntoRecentShotsAsync(Dictionary<string, (Pulse Pulse, Point3 Point)> pulses, LocalFrame frame, double c,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var waiting = pulses.Values.Where(v => v.Pulse.DetectionId is null).ToList();
        if (waiting.Count == 0)
            return;
        var recent = await db.Detections.Where(d => d.ExternalId.StartsWith("pulses:") && d.OccurredAt >= from && d.OccurredAt <= to)
            .Select(d => new { d.Id, d.OccurredAt, d.Latitude, d.Longitude }).ToListAsync(ct);
        var height = pulses.Values.Average(v => v.Point.Z);
        // Only shots that sound from here could still be reaching these sensors.
        var audible = recent.Select(d => (d.Id, d.OccurredAt, Source: frame.ToLocal(d.Latitude, d.Longitude, height)))
            .Where(d => waiting.Any(w => d.Source.HorizontalDistanceTo(w.Point) < c * o.PulseWindowSeconds)).ToList();
        if (audible.Count == 0)
            return;
        var ids = audible.Select(d => (Guid?)d.Id).ToList();
        var used = (await db.Pulses.Where(p => ids.Contains(p.DetectionId)).Select(p => new { p.DetectionId, p.DeviceId }).ToListAsync(ct))
            .ToLookup(p => p.DetectionId!.Value, p => p.DeviceId);
        foreach (var shot in audible)
        {
            var sensors = used[shot.Id].ToHashSet();
            foreach (var (pulse, point) in waiting.Where(w => w.Pulse.DetectionId is null && !sensors.Contains(w.Pulse.DeviceId)))
            {
                var predicted = shot.OccurredAt + TimeSpan.FromSeconds(shot.Source.DistanceTo(point) / c);
                if (Math.Abs((pulse.ArrivalTime - predicted).TotalSeconds) <= AbsorbToleranceSeconds)
                {
                    pulse.DetectionId = shot.Id;
                    sensors.Add(pulse.DeviceId);
                }
            }
        }
    }
}
