using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// The reaction settings, cached briefly because every ingested batch needs the batch cap (every node drops them on a change). One for the
/// app: a batch that finds them cached builds no DbContext (ADR 0057, tenth pass).
/// </summary>
internal sealed class PlatesSettingsStore(CacheInvalidation cache, IOptions<PlatesOptions> options)
{
    private const string CacheKey = "plates:reaction-settings";

    public Task<PlatesReactionSettings.Snapshot> GetAsync(CancellationToken ct) =>
        cache.GetOrLoadAsync<PlatesDbContext, PlatesReactionSettings.Snapshot>(CacheKey, TimeSpan.FromSeconds(options.Value.SettingsCacheSeconds),
            async (db, c) => (await LoadAsync(db, c)).ToSnapshot(), ct);

    /// <summary>The row, tracked by <paramref name="db"/>; the defaults (not yet stored) if the seeded row is missing.</summary>
    public static async Task<PlatesReactionSettings> LoadAsync(PlatesDbContext db, CancellationToken ct) =>
        await db.Settings.SingleOrDefaultAsync(s => s.Id == PlatesReactionSettings.SingletonId, ct) ?? new PlatesReactionSettings();

    public Task InvalidateAsync() => cache.InvalidateAsync(CacheKey);
}

internal sealed class GetPlatesReactionSettingsQueryHandler(PlatesDbContext db) : IQueryHandler<GetPlatesReactionSettingsQuery, PlatesReactionSettingsDto>
{
    public async ValueTask<PlatesReactionSettingsDto> Handle(GetPlatesReactionSettingsQuery query, CancellationToken cancellationToken) =>
        (await PlatesSettingsStore.LoadAsync(db, cancellationToken)).ToDto();
}

internal sealed class UpdatePlatesReactionSettingsCommandValidator : AbstractValidator<UpdatePlatesReactionSettingsCommand>
{
    public UpdatePlatesReactionSettingsCommandValidator()
    {
        RuleFor(c => c.TriggerKinds).NotNull();
        this.KnownKindsEachOnce(c => c.TriggerKinds, IncidentKinds.All);
        RuleFor(c => c.RadiusMeters).InclusiveBetween(50, 5000);
        RuleFor(c => c.WindowBeforeMinutes).InclusiveBetween(0, 240);
        RuleFor(c => c.WindowAfterMinutes).InclusiveBetween(1, 720);
        RuleFor(c => c.MaxBatchSize).InclusiveBetween(1, 5000);
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }
}

/// <summary>Saves the settings and their audit record (before and after) in one transaction; an unchanged save writes nothing.</summary>
internal sealed class UpdatePlatesReactionSettingsCommandHandler(PlatesDbContext db, PlatesSettingsStore store, TimeProvider clock)
    : ICommandHandler<UpdatePlatesReactionSettingsCommand, PlatesReactionSettingsDto>
{
    public async ValueTask<PlatesReactionSettingsDto> Handle(UpdatePlatesReactionSettingsCommand command, CancellationToken cancellationToken)
    {
        var settings = await PlatesSettingsStore.LoadAsync(db, cancellationToken);
        var before = settings.ToSnapshot();
        var after = new PlatesReactionSettings.Snapshot(IncidentKinds.All.Where(k => command.TriggerKinds.Contains(k)).ToArray(), command.RadiusMeters,
            command.WindowBeforeMinutes, command.WindowAfterMinutes, command.MaxBatchSize);
        if (before.SameAs(after) && db.Entry(settings).State != EntityState.Detached)
            return settings.ToDto();

        var now = clock.GetUtcNow();
        settings.TriggerKinds = [.. after.TriggerKinds];
        settings.RadiusMeters = after.RadiusMeters;
        settings.WindowBeforeMinutes = after.WindowBeforeMinutes;
        settings.WindowAfterMinutes = after.WindowAfterMinutes;
        settings.MaxBatchSize = after.MaxBatchSize;
        settings.UpdatedAt = now;
        settings.UpdatedBy = command.By;
        if (db.Entry(settings).State == EntityState.Detached)
            db.Settings.Add(settings);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await db.AuditAsync(command.By, "Plates", "settings.updated", null, new { before, after }, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await store.InvalidateAsync();
        return settings.ToDto();
    }
}

internal static class PlatesReactionSettingsMapping
{
    public static PlatesReactionSettingsDto ToDto(this PlatesReactionSettings s) =>
        new([.. s.TriggerKinds], s.RadiusMeters, s.WindowBeforeMinutes, s.WindowAfterMinutes, s.MaxBatchSize, s.UpdatedAt, s.UpdatedBy, IncidentKinds.All);
}
