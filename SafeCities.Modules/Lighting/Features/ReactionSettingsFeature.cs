using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Lighting.Features;

internal static class ReactionSettingsStore
{
    public static async Task<LightingReactionSettingsDto> CurrentAsync(LightingDbContext db, CancellationToken ct) =>
        await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == ReactionSettings.SingletonId, ct) is { } s
            ? ToDto(s)
            : LightingReactionSettingsDto.Defaults;

    public static LightingReactionSettingsDto ToDto(ReactionSettings s) =>
        new(s.TriggerKinds.ToList(), s.RadiusMeters, s.LevelPercent, s.DurationMinutes, s.UpdatedAt, s.UpdatedBy);
}

internal sealed class GetLightingReactionSettingsQueryHandler(LightingDbContext db) : IQueryHandler<GetLightingReactionSettingsQuery, LightingReactionSettingsDto>
{
    public async ValueTask<LightingReactionSettingsDto> Handle(GetLightingReactionSettingsQuery query, CancellationToken cancellationToken) =>
        await ReactionSettingsStore.CurrentAsync(db, cancellationToken);
}

internal sealed class UpdateLightingReactionSettingsCommandValidator : AbstractValidator<UpdateLightingReactionSettingsCommand>
{
    public UpdateLightingReactionSettingsCommandValidator()
    {
        RuleFor(c => c.TriggerKinds).NotNull().NotEmpty().WithMessage("Choose at least one incident kind.");
        this.KnownKindsEachOnce(c => c.TriggerKinds, IncidentKinds.All);
        RuleFor(c => c.RadiusMeters).InclusiveBetween(10, 2000);
        RuleFor(c => c.LevelPercent).InclusiveBetween(1, 100);
        RuleFor(c => c.DurationMinutes).InclusiveBetween(1, 240);
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }
}

/// <summary>Saves the single settings row and its audit record (before and after) in one transaction.</summary>
internal sealed class UpdateLightingReactionSettingsCommandHandler(LightingDbContext db, TimeProvider clock)
    : ICommandHandler<UpdateLightingReactionSettingsCommand, LightingReactionSettingsDto>
{
    public async ValueTask<LightingReactionSettingsDto> Handle(UpdateLightingReactionSettingsCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.Settings.FromSql($"SELECT * FROM lighting.reaction_settings WHERE id = 1 FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        var before = row is null ? LightingReactionSettingsDto.Defaults : ReactionSettingsStore.ToDto(row);
        if (row is null)
        {
            row = new ReactionSettings { UpdatedBy = command.By };
            db.Settings.Add(row);
        }
        row.TriggerKinds = command.TriggerKinds.ToList();
        row.RadiusMeters = command.RadiusMeters;
        row.LevelPercent = command.LevelPercent;
        row.DurationMinutes = command.DurationMinutes;
        row.UpdatedAt = now;
        row.UpdatedBy = command.By;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new DomainRuleException("The settings were changed by someone else at the same moment; try again.");
        }
        var after = ReactionSettingsStore.ToDto(row);
        await db.AuditAsync(command.By, "Lighting", "settings.updated", null,
            new { before = Audited(before), after = Audited(after) }, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return after;
    }

    private static object Audited(LightingReactionSettingsDto s) =>
        new { s.TriggerKinds, s.RadiusMeters, s.LevelPercent, s.DurationMinutes };
}
