using Microsoft.Extensions.Options;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Data;

namespace SafeCities.Modules.Video.Evidence;

internal sealed class SaveEvidenceClipCommandValidator : AbstractValidator<SaveEvidenceClipCommand>
{
    public SaveEvidenceClipCommandValidator(IOptions<EvidenceOptions> options)
    {
        RuleFor(c => c.IncidentId).NotEmpty();
        RuleFor(c => c.CameraId).NotEmpty();
        RuleFor(c => c.Seconds).InclusiveBetween(1, options.Value.MaxClipSeconds).When(c => c.Seconds is not null)
            .WithMessage($"'seconds' must be from 1 to {options.Value.MaxClipSeconds} (Video:Evidence:MaxClipSeconds).");
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }
}

/// <summary>
/// Records the clip (see <see cref="SaveEvidenceClipCommand"/>), then stores its row, the audit record and the timeline report in one
/// transaction. A live camera cannot give back seconds already past, so a clip starts when it is asked for; a recording-system driver that
/// exports the bookmark window itself would replace <see cref="ClipRecorder"/> (ADR 0017).
/// </summary>
internal sealed class SaveEvidenceClipCommandHandler(VideoDbContext db, ClipRecorder recorder, TimeProvider clock, IOptions<EvidenceOptions> options)
    : ICommandHandler<SaveEvidenceClipCommand, EvidenceClipDto>
{
    public async ValueTask<EvidenceClipDto> Handle(SaveEvidenceClipCommand command, CancellationToken cancellationToken)
    {
        var tasked = await db.IncidentCameras.AsNoTracking()
            .Where(ic => ic.IncidentId == command.IncidentId && ic.CameraId == command.CameraId)
            .Join(db.Cameras, ic => ic.CameraId, c => c.Id, (ic, c) => new { ic.BookmarkFrom, ic.BookmarkTo, c.Name, c.StreamUrl })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainRuleException("This camera has no part in this incident.", 404);
        if (tasked.BookmarkFrom is null || tasked.BookmarkTo is null)
            throw new DomainRuleException("The camera has no bookmark for this incident (it was not tasked or the bookmark failed).");
        if (!Uri.TryCreate(tasked.StreamUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("rtsp" or "rtsps"))
            throw new DomainRuleException("The camera has no RTSP stream to record.");

        var o = options.Value;
        var seconds = Math.Min(command.Seconds ?? o.DefaultClipSeconds, o.MaxClipSeconds);
        var id = Guid.CreateVersion7();
        RecordedClip file;
        try
        {
            file = await recorder.RecordAsync(id, tasked.StreamUrl!, seconds, cancellationToken);
        }
        catch (ClipNotRecordedException)
        {
            throw new DomainRuleException("The camera's stream could not be recorded; try again.", 503);
        }

        var clip = new EvidenceClip
        {
            Id = id, IncidentId = command.IncidentId, CameraId = command.CameraId, CameraName = tasked.Name, FileName = file.FileName,
            RecordedFrom = file.CoveredFrom, DurationSeconds = Math.Round(file.DurationSeconds, 3), SizeBytes = file.SizeBytes, Sha256 = file.Sha256,
            BookmarkFrom = tasked.BookmarkFrom, BookmarkTo = tasked.BookmarkTo, SavedBy = command.By, SavedAt = clock.GetUtcNow(),
            Status = EvidenceClipStatus.Saved, CoveredFrom = file.CoveredFrom, CoveredTo = file.CoveredTo, Source = LiveStreamRecordingSystem.SourceName,
        };
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            db.EvidenceClips.Add(clip);
            db.AddOutboxMessage(new IncidentReactionReportedEvent(Guid.CreateVersion7(), clip.IncidentId, "Video", "ClipSaved", clip.SavedAt,
                $"Clip of {clip.CameraName} saved as evidence by {clip.SavedBy}: {clip.DurationSeconds:0.0} s, SHA-256 {clip.Sha256[..16]}…"));
            await db.SaveChangesAsync(cancellationToken);
            await db.AuditAsync(command.By, "Video", "clip.saved", null,
                new { clip.Id, clip.IncidentId, clip.CameraId, clip.DurationSeconds, clip.SizeBytes, clip.Sha256 }, clip.SavedAt, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch
        {
            File.Delete(recorder.PathOf(file.FileName));
            throw;
        }
        return clip.ToDto();
    }
}

internal sealed class ListEvidenceClipsQueryHandler(VideoDbContext db) : IQueryHandler<ListEvidenceClipsQuery, IReadOnlyList<EvidenceClipDto>>
{
    public async ValueTask<IReadOnlyList<EvidenceClipDto>> Handle(ListEvidenceClipsQuery query, CancellationToken cancellationToken) =>
        (await db.EvidenceClips.AsNoTracking().Where(c => c.IncidentId == query.IncidentId).OrderByDescending(c => c.SavedAt).ToListAsync(cancellationToken))
        .Select(c => c.ToDto()).ToList();
}

internal static class EvidenceClipMapping
{
    public static EvidenceClipDto ToDto(this EvidenceClip c) => new(c.Id, c.IncidentId, c.CameraId, c.CameraName, c.RecordedFrom, c.DurationSeconds,
        c.SizeBytes, c.Sha256 ?? "", c.SavedBy, c.SavedAt, c.BookmarkFrom, c.BookmarkTo, c.Status, c.Failure, c.CoveredFrom, c.CoveredTo, c.Source);
}
