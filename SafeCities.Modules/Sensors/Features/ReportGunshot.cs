using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Domain;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Sensors.Features;

internal sealed class ReportGunshotCommandValidator : AbstractValidator<ReportGunshotCommand>
{
    public ReportGunshotCommandValidator(TimeProvider clock, IOptions<SensorsOptions> options)
    {
        var skew = TimeSpan.FromSeconds(options.Value.MaxClockSkewSeconds);
        RuleFor(c => c.DeviceId).NotEmpty();
        RuleFor(c => c.ExternalId).NotEmpty().MaximumLength(128);
        RuleFor(c => c.Latitude).InclusiveBetween(-90, 90);
        RuleFor(c => c.Longitude).InclusiveBetween(-180, 180);
        RuleFor(c => c.Rounds).InclusiveBetween(1, 500);
        RuleFor(c => c.Source).MaximumLength(80);
        RuleFor(c => c.OccurredAt)
            .Must(t => t <= clock.GetUtcNow() + skew)
            .WithMessage($"'Occurred At' is in the future (more than {skew.TotalSeconds:0} s of clock skew).")
            .Must(t => t.Year >= 2000).WithMessage("'Occurred At' is not a plausible time.");
    }
}

internal sealed class ReportGunshotCommandHandler(SensorsDbContext db, GunshotOutbox outbox, TimeProvider clock, SensorsMetrics metrics)
    : ICommandHandler<ReportGunshotCommand, GunshotReportResult>
{
    public async ValueTask<GunshotReportResult> Handle(ReportGunshotCommand command, CancellationToken cancellationToken)
    {
        var device = await db.Devices.FindAsync([command.DeviceId], cancellationToken)
            ?? throw new DomainRuleException("This device is not registered with Sensors.", 403);
        var existing = await FindAsync(command, cancellationToken);
        if (existing is not null)
            return await CompleteAsync(existing, created: false, cancellationToken);

        var now = clock.GetUtcNow();
        var detection = new GunshotDetection
        {
            Id = Guid.CreateVersion7(), DeviceId = command.DeviceId, ExternalId = command.ExternalId, OccurredAt = command.OccurredAt.ToUniversalTime(),
            Latitude = command.Latitude, Longitude = command.Longitude, Rounds = command.Rounds,
            Source = string.IsNullOrWhiteSpace(command.Source) ? device.Name : command.Source.Trim(), ReceivedAt = now,
        };
        db.Detections.Add(detection);
        outbox.Add(detection);
        device.LastSeenAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The same alert arrived twice at once: the other request stored it; answer with what it stored.
            db.ChangeTracker.Clear();
            return await CompleteAsync((await FindAsync(command, cancellationToken))!, created: false, cancellationToken);
        }
        return await CompleteAsync(detection, created: true, cancellationToken);
    }

    private Task<GunshotDetection?> FindAsync(ReportGunshotCommand command, CancellationToken ct) =>
        db.Detections.SingleOrDefaultAsync(d => d.DeviceId == command.DeviceId && d.ExternalId == command.ExternalId, ct);

    /// <summary>The detection is committed; make sure its reactions ran (again, if a crash interrupted them) before the device hears back.</summary>
    private async Task<GunshotReportResult> CompleteAsync(GunshotDetection detection, bool created, CancellationToken ct)
    {
        metrics.Gunshot(SensorsMetrics.FromAlert, created);
        await outbox.DeliverAsync(detection.Id, ct);
        return new GunshotReportResult(detection.Id, created);
    }
}

/// <summary>
/// A detection's <see cref="GunshotDetectedEvent"/> goes into Sensors' outbox with the detection (same id) and is delivered by the
/// request itself right after commit: the incident is opened before the device gets its answer. A repeat of the report delivers
/// it then if a crash left it pending; otherwise the outbox sweep does.
/// </summary>
internal sealed class GunshotOutbox(SensorsDbContext db, OutboxDelivery delivery)
{
    private readonly Dictionary<Guid, OutboxMessage> added = [];

    public void Add(GunshotDetection detection) =>
        added[detection.Id] = db.AddOutboxMessage(detection.Detected(), detection.Id, deliveredByCaller: true);

    public async Task DeliverAsync(Guid detectionId, CancellationToken ct)
    {
        var message = added.Remove(detectionId, out var fresh) ? fresh
            : await db.Set<OutboxMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == detectionId && m.DispatchedAt == null && m.FailedAt == null, ct);
        if (message is not null && !await delivery.DeliverAsync(typeof(SensorsDbContext), message, ct))
            throw new InvalidOperationException($"The reactions to detection {detectionId} failed; they are retried (see the log and /Admin/Outbox).");
    }
}
