using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Plates.Features;

// ---- hotlists and entries ----------------------------------------------------------------------------------------------

internal sealed class CreateHotlistCommandValidator : AbstractValidator<CreateHotlistCommand>
{
    public CreateHotlistCommandValidator(TimeProvider clock)
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(120);
        RuleFor(c => c.Kind).NotEmpty().Must(k => HotlistKinds.All.Contains(k) && k != HotlistKinds.Intelligence)
            .WithMessage($"'kind' must be one of {string.Join(", ", HotlistKinds.All.Where(k => k != HotlistKinds.Intelligence))}.");
        RuleFor(c => c.AlertLevel).NotEmpty().Must(l => AlertLevels.All.Contains(l)).WithMessage("'alertLevel' must be high, medium or low.");
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(300);
        RuleFor(c => c.Owner).NotEmpty().MaximumLength(120);
        RuleFor(c => c.Visibility).NotEmpty().Must(v => HotlistVisibility.All.Contains(v)).WithMessage("'visibility' must be all-staff or restricted.");
        RuleFor(c => c.ExpiresAt).Custom((at, context) =>
        {
            if (at is { } e && HotlistExpiry.Refusal(e, clock.GetUtcNow()) is { } why)
                context.AddFailure($"'expiresAt' {why}");
        });
    }
}

internal sealed class CreateHotlistCommandHandler(PlatesDbContext db, TimeProvider clock) : ICommandHandler<CreateHotlistCommand, HotlistDto>
{
    public async ValueTask<HotlistDto> Handle(CreateHotlistCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var list = new Hotlist
        {
            Id = Guid.CreateVersion7(), Name = c.Name!.Trim(), Kind = c.Kind!, AlertLevel = c.AlertLevel!, Reason = c.Reason!.Trim(), Owner = c.Owner!.Trim(),
            Visibility = c.Visibility!, ExpiresAt = c.ExpiresAt, CreatedAt = now, CreatedBy = c.By,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Hotlists.Add(list);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Plates", "hotlist-create", null, list.ToDto(0), now, ct);
        await tx.CommitAsync(ct);
        return list.ToDto(0);
    }
}

internal sealed class ListHotlistsQueryHandler(PlatesDbContext db, TimeProvider clock) : IQueryHandler<ListHotlistsQuery, IReadOnlyList<HotlistDto>>
{
    public async ValueTask<IReadOnlyList<HotlistDto>> Handle(ListHotlistsQuery query, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var counts = await db.HotlistEntries.Where(e => e.WithdrawnAt == null && (e.ExpiresAt == null || e.ExpiresAt > now))
            .GroupBy(e => e.HotlistId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var lists = await db.Hotlists.AsNoTracking().OrderBy(h => h.Name).ToListAsync(ct);
        return lists.Select(h => h.ToDto(counts.GetValueOrDefault(h.Id))).ToList();
    }
}

internal sealed class AddHotlistEntryCommandValidator : AbstractValidator<AddHotlistEntryCommand>
{
    public AddHotlistEntryCommandValidator(TimeProvider clock)
    {
        RuleFor(c => c.Plate).NotEmpty().Must(PlateMatcher.IsValidEntry)
            .WithMessage("'plate' must be 1–10 letters, digits, '*' (any run) or '?' (one character), with at least two letters or digits.");
        RuleFor(c => c.Region).MaximumLength(8);
        RuleFor(c => c.Reason).MaximumLength(300);
        RuleFor(c => c.Reference).MaximumLength(64);
        RuleFor(c => c.Description).MaximumLength(200);
        RuleFor(c => c.ExpiresAt).Custom((at, context) =>
        {
            if (at is { } e && HotlistExpiry.Refusal(e, clock.GetUtcNow()) is { } why)
                context.AddFailure($"'expiresAt' {why}");
        });
    }
}

internal sealed class AddHotlistEntryCommandHandler(PlatesDbContext db, HotlistMatcherCache cache, RetroactiveHotlistCheck lookBack, TimeProvider clock)
    : ICommandHandler<AddHotlistEntryCommand, HotlistEntryDto>
{
    public async ValueTask<HotlistEntryDto> Handle(AddHotlistEntryCommand c, CancellationToken ct)
    {
        var list = await db.Hotlists.FindAsync([c.HotlistId], ct) ?? throw new DomainRuleException("No such hotlist.", 404);
        if (list.Kind == HotlistKinds.Intelligence)
            throw new DomainRuleException("Intelligence's hotlist is kept by Intelligence's requests.", 409);
        var now = clock.GetUtcNow();
        var entry = new HotlistEntry
        {
            Id = Guid.CreateVersion7(), HotlistId = list.Id, Plate = PlateNumber.Normalize(c.Plate)!, Region = Clean(c.Region)?.ToUpperInvariant(),
            Reason = Clean(c.Reason), Reference = Clean(c.Reference), Description = Clean(c.Description), ExpiresAt = c.ExpiresAt, AddedAt = now,
        };
        HotlistEntry? repeated = null;
        Guid? owed = null;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Additions to one list run one at a time (its row locked), so two requests cannot both list the same plate; the unique index
            // on active entries (plate, region) backs this up.
            await HotlistQueries.LockListAsync(db, list.Id, ct);
            var listed = await db.HotlistEntries.SingleOrDefaultAsync(e => e.HotlistId == list.Id && e.WithdrawnAt == null && e.Plate == entry.Plate
                && e.Region == entry.Region, ct);
            if (listed is not null && (listed.ExpiresAt is null || listed.ExpiresAt > now))
                repeated = SameDetails(listed, entry)
                    ? listed
                    : throw new DomainRuleException($"{entry.Plate}{(entry.Region is null ? "" : $" ({entry.Region})")} is already on this list with other details "
                        + $"(entry {listed.Id}, added {listed.AddedAt:yyyy-MM-dd}); withdraw that entry to list the plate again.", 409);
            else
            {
                if (listed is not null)
                    listed.WithdrawnAt = now;   // an expired entry gives way to the new one
                db.HotlistEntries.Add(entry);
                owed = lookBack.Owe(list.Id, now);
                await db.SaveChangesAsync(ct);
                await db.AuditAsync(c.By, "Plates", "hotlist-entry-add", null, new { list = list.Name, entry.Plate, entry.Region, entry.Reference }, now, ct);
                await tx.CommitAsync(ct);
            }
        }
        if (repeated is null)
            await cache.ChangedAsync();
        // A repeat is the client's retry after a lost answer, and the request that stored the entry may have died between its commit and
        // its look-back: the look-back runs again (a hit it found then is not recorded or counted twice).
        var stored = repeated ?? entry;
        var hits = await lookBack.RunAsync([new MatchableEntry(stored.Id, list.Id, stored.Plate, stored.Region, Earliest(stored.ExpiresAt, list.ExpiresAt))],
            owed, ct);
        return stored.ToDto(hits) with { AlreadyListed = repeated is not null };
    }

    internal static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>A repeat of the same request (a client retrying after a lost answer): nothing to change.</summary>
    private static bool SameDetails(HotlistEntry a, HotlistEntry b) =>
        a.Reason == b.Reason && a.Reference == b.Reference && a.Description == b.Description && a.ExpiresAt == b.ExpiresAt;

    internal static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}

internal sealed class WithdrawHotlistEntryCommandHandler(PlatesDbContext db, HotlistMatcherCache cache, TimeProvider clock)
    : ICommandHandler<WithdrawHotlistEntryCommand, HotlistEntryDto>
{
    public async ValueTask<HotlistEntryDto> Handle(WithdrawHotlistEntryCommand c, CancellationToken ct)
    {
        var entry = await db.HotlistEntries.FindAsync([c.EntryId], ct) ?? throw new DomainRuleException("No such hotlist entry.", 404);
        if (entry.WithdrawnAt is not null)
            return entry.ToDto();
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        entry.WithdrawnAt = now;
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Plates", "hotlist-entry-withdraw", null, new { entry.Id, entry.Plate, entry.Region }, now, ct);
        await tx.CommitAsync(ct);
        await cache.ChangedAsync();
        return entry.ToDto();
    }
}

internal sealed class ListHotlistEntriesQueryValidator : AbstractValidator<ListHotlistEntriesQuery>
{
    public ListHotlistEntriesQueryValidator() => RuleFor(q => q.Page).InclusiveBetween(1, 100_000);
}

/// <summary>
/// A page of a list's entries. It used to be the first 5,000 and nothing else, without saying so: a client copying a 200,000-entry
/// NCIC list got a fortieth of it.
/// </summary>
internal sealed class ListHotlistEntriesQueryHandler(PlatesDbContext db) : IQueryHandler<ListHotlistEntriesQuery, IReadOnlyList<HotlistEntryDto>>
{
    public async ValueTask<IReadOnlyList<HotlistEntryDto>> Handle(ListHotlistEntriesQuery q, CancellationToken ct) =>
        (await db.HotlistEntries.AsNoTracking().Where(e => e.HotlistId == q.HotlistId).OrderBy(e => e.Plate).ThenBy(e => e.Id)
            .Skip((q.Page - 1) * ListHotlistEntriesQuery.PageSize).Take(ListHotlistEntriesQuery.PageSize).ToListAsync(ct))
        .Select(e => e.ToDto()).ToList();
}

internal sealed class PageHotlistEntriesQueryValidator : AbstractValidator<PageHotlistEntriesQuery>
{
    public PageHotlistEntriesQueryValidator()
    {
        RuleFor(q => q.Search).MaximumLength(16);
        RuleFor(q => q.Page).InclusiveBetween(1, 100_000);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 500);
    }
}

internal sealed class PageHotlistEntriesQueryHandler(PlatesDbContext db, TimeProvider clock) : IQueryHandler<PageHotlistEntriesQuery, HotlistEntriesPageDto?>
{
    public async ValueTask<HotlistEntriesPageDto?> Handle(PageHotlistEntriesQuery q, CancellationToken ct)
    {
        var list = await db.Hotlists.AsNoTracking().SingleOrDefaultAsync(h => h.Id == q.HotlistId, ct);
        if (list is null)
            return null;
        var now = clock.GetUtcNow();
        var active = await db.HotlistEntries.CountAsync(e => e.HotlistId == q.HotlistId && e.WithdrawnAt == null && (e.ExpiresAt == null || e.ExpiresAt > now), ct);
        var entries = db.HotlistEntries.AsNoTracking().Where(e => e.HotlistId == q.HotlistId);
        var search = PlateNumber.Normalize(q.Search ?? "") ?? "";
        if (search.Length > 0)
            entries = entries.Where(e => e.Plate.Contains(search));
        var total = await entries.CountAsync(ct);
        var page = await entries.OrderBy(e => e.WithdrawnAt != null).ThenBy(e => e.Plate).ThenBy(e => e.Id)
            .Skip((q.Page - 1) * q.PageSize).Take(q.PageSize).ToListAsync(ct);
        return new HotlistEntriesPageDto(list.ToDto(active), page.Select(e => e.ToDto()).ToList(), total, q.Page, q.PageSize);
    }
}
