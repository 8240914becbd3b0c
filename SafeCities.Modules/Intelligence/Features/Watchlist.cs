using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed class AddWatchlistEntryCommandValidator : AbstractValidator<AddWatchlistEntryCommand>
{
    public AddWatchlistEntryCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(160);
        RuleFor(c => c).Must(c => (c.PersonId is not null ? 1 : 0) + (string.IsNullOrWhiteSpace(c.Plate) ? 0 : 1) + (c.Criteria is null ? 0 : 1) == 1)
            .WithName("PersonId").WithMessage("Give exactly one of personId, plate or criteria.");
        RuleFor(c => c.Plate).Must(p => p is null || Vehicle.NormalizePlate(p).Length is >= 1 and <= 10).WithMessage("'Plate' must have 1 to 10 letters or digits.");
        RuleFor(c => c.Criteria).Must(c => c is null || WatchlistCriteria.All.Contains(c))
            .WithMessage($"'Criteria' must be one of: {string.Join(", ", WatchlistCriteria.All)}.");
    }
}

internal sealed class AddWatchlistEntryCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<AddWatchlistEntryCommand, WatchlistEntryDto>
{
    public async ValueTask<WatchlistEntryDto> Handle(AddWatchlistEntryCommand c, CancellationToken ct)
    {
        if (c.PersonId is { } personId && !await db.Persons.AnyAsync(p => p.Id == personId, ct))
            throw new DomainRuleException("No such person.", 404);
        var now = clock.GetUtcNow();
        var entry = new WatchlistEntry
        {
            Id = Guid.CreateVersion7(), Name = c.Name.Trim(), PersonId = c.PersonId, Plate = c.Plate is null ? null : Vehicle.NormalizePlate(c.Plate),
            Criteria = c.Criteria, CreatedBy = c.By, CreatedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Watchlist.Add(entry);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Intelligence", "add-watchlist-entry", null, new { entry.Name, entry.PersonId, entry.Plate, entry.Criteria }, now, ct);
        await tx.CommitAsync(ct);
        return ToDto(entry);
    }

    internal static WatchlistEntryDto ToDto(WatchlistEntry e) =>
        new(e.Id, e.Name, e.PersonId, e.Plate, e.Criteria, e.CreatedBy, e.CreatedAt, e.RemovedAt, e.RemovedBy);
}

internal sealed class ListWatchlistQueryHandler(IntelligenceDbContext db) : IQueryHandler<ListWatchlistQuery, IReadOnlyList<WatchlistEntryDto>>
{
    public async ValueTask<IReadOnlyList<WatchlistEntryDto>> Handle(ListWatchlistQuery query, CancellationToken ct) =>
        (await db.Watchlist.AsNoTracking().Where(w => w.RemovedAt == null).OrderByDescending(w => w.CreatedAt).ToListAsync(ct))
        .Select(AddWatchlistEntryCommandHandler.ToDto).ToList();
}

internal sealed class RemoveWatchlistEntryCommandValidator : AbstractValidator<RemoveWatchlistEntryCommand>
{
    public RemoveWatchlistEntryCommandValidator() => RuleFor(c => c.EntryId).NotEmpty();
}

internal sealed class RemoveWatchlistEntryCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<RemoveWatchlistEntryCommand, WatchlistEntryDto>
{
    public async ValueTask<WatchlistEntryDto> Handle(RemoveWatchlistEntryCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var entry = await db.Watchlist.FromSql($"SELECT * FROM intelligence.watchlist WHERE id = {c.EntryId} FOR UPDATE").SingleOrDefaultAsync(ct)
            ?? throw new DomainRuleException("No such watchlist entry.", 404);
        entry.Remove(c.By, now);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Intelligence", "remove-watchlist-entry", null,
            new { entry.Id, entry.Name, entry.PersonId, entry.Plate, entry.Criteria }, now, ct);
        await tx.CommitAsync(ct);
        return AddWatchlistEntryCommandHandler.ToDto(entry);
    }
}

internal sealed class ListHotlistRequestsQueryHandler(IntelligenceDbContext db) : IQueryHandler<ListHotlistRequestsQuery, IReadOnlyList<HotlistRequestDto>>
{
    public async ValueTask<IReadOnlyList<HotlistRequestDto>> Handle(ListHotlistRequestsQuery query, CancellationToken ct)
    {
        var requests = db.HotlistRequests.AsNoTracking();
        if (query.Plate is { Length: > 0 } plate)
        {
            var normalized = Vehicle.NormalizePlate(plate);
            requests = requests.Where(h => h.Plate == normalized);
        }
        return await requests.OrderByDescending(h => h.RequestedAt).Take(500)
            .Select(h => new HotlistRequestDto(h.Id, h.Plate, h.Region, h.PersonId, h.Reason, h.RequestedAt, h.ExpiresAt, h.WithdrawnAt)).ToListAsync(ct);
    }
}
