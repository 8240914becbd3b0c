using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Domain;
using SafeCities.Modules.Shared.Messaging;
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

internal sealed class ReportGunshotCommandHandler(SensorsDbContext db, IMediator mediator, TimeProvider clock, SensorsMetrics metrics)
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

    /// <summary>The detection is committed; make sure its reactions ran (again, if a crash interrupted them), then report its incident.</summary>
    private async Task<GunshotReportResult> CompleteAsync(GunshotDetection detection, bool created, CancellationToken ct)
    {
        metrics.Gunshot(SensorsMetrics.FromAlert, created);
        if (detection.DispatchedAt is null)
            await GunshotDispatch.PublishAsync(db, mediator, clock, detection, ct);
        var incidentId = await mediator.Send(new GetIncidentForDetectionQuery(detection.Id), ct);
        return new GunshotReportResult(detection.Id, incidentId, created);
    }
}

internal static class GunshotDispatch
{
    /// <summary>Publishes <see cref="GunshotDetectedEvent"/> and marks the detection dispatched only when every reaction succeeded.</summary>
    public static async Task PublishAsync(SensorsDbContext db, IPublisher publisher, TimeProvider clock, GunshotDetection d, CancellationToken ct)
    {
        await publisher.Publish(new GunshotDetectedEvent(d.Id, d.DeviceId, d.OccurredAt, d.Latitude, d.Longitude, d.UncertaintyMeters, d.Rounds, d.Source), ct);
        d.DispatchedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }
}
