using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Data;
using SafeCities.Modules.Video.Domain;

namespace SafeCities.Modules.Video.Features;

internal sealed class UpdateVideoReactionSettingsCommandValidator : AbstractValidator<UpdateVideoReactionSettingsCommand>
{
    public UpdateVideoReactionSettingsCommandValidator()
    {
        RuleFor(c => c.TriggerKinds).NotNull().NotEmpty().WithMessage("Choose at least one incident kind.");
        this.KnownKindsEachOnce(c => c.TriggerKinds, IncidentKinds.All);
        RuleFor(c => c.PreSeconds).InclusiveBetween(0, 600);
        RuleFor(c => c.PostMinutes).InclusiveBetween(1, 120);
        RuleFor(c => c.MaxPtzCameras).InclusiveBetween(1, 50);
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }
}

internal sealed class GetVideoReactionSettingsQueryHandler(VideoDbContext db) : IQueryHandler<GetVideoReactionSettingsQuery, VideoReactionSettingsDto>
{
    public async ValueTask<VideoReactionSettingsDto> Handle(GetVideoReactionSettingsQuery query, CancellationToken cancellationToken) =>
        (await db.ReactionSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new VideoReactionSettings()).ToDto();
}

/// <summary>The change and its audit record (who, when, before, after) commit together or not at all.</summary>
internal sealed class UpdateVideoReactionSettingsCommandHandler(VideoDbContext db, TimeProvider clock)
    : ICommandHandler<UpdateVideoReactionSettingsCommand, VideoReactionSettingsDto>
{
    public async ValueTask<VideoReactionSettingsDto> Handle(UpdateVideoReactionSettingsCommand command, CancellationToken cancellationToken)
    {
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Row lock: two administrators saving at once are serialised, so each audit record's "before" is what it replaced.
        var settings = await db.ReactionSettings
            .FromSql($"SELECT * FROM video.reaction_settings WHERE id = {VideoReactionSettings.SingletonId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
            db.ReactionSettings.Add(settings = new VideoReactionSettings());
        var before = settings.ToDto();
        var now = clock.GetUtcNow();
        settings.TriggerKinds = [.. command.TriggerKinds];
        settings.PreSeconds = command.PreSeconds;
        settings.PostMinutes = command.PostMinutes;
        settings.MaxPtzCameras = command.MaxPtzCameras;
        settings.UpdatedAt = now;
        settings.UpdatedBy = command.By;
        await db.SaveChangesAsync(cancellationToken);
        var after = settings.ToDto();
        await db.AuditAsync(command.By, "Video", "settings.updated", null, new { before, after }, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return after;
    }
}
