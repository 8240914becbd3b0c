using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed class RegisterAgencyCommandValidator : AbstractValidator<RegisterAgencyCommand>
{
    public RegisterAgencyCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(160);
        RuleFor(c => c.Kind).Must(AgencyKinds.All.Contains).WithMessage($"'Kind' must be one of: {string.Join(", ", AgencyKinds.All)}.");
        RuleFor(c => c.ReleaseHotlistDays).InclusiveBetween(1, 365);
        RuleFor(c => c.Sector).Must(s => s is null || AgencySectors.All.Contains(s)).WithMessage($"'Sector' must be one of: {string.Join(", ", AgencySectors.All)}.");
        RuleFor(c => c.State).Must(s => s is null || Sharing.StateCode().IsMatch(s.Trim().ToUpperInvariant()))
            .WithMessage("'State' must be a two-letter state code (leave it empty for a federal agency).");
        RuleFor(c => c.Functions).Must(f => f is null || f.All(AgencyFunctions.All.Contains))
            .WithMessage($"'Functions' must be among: {string.Join(", ", AgencyFunctions.All)}.");
    }
}

internal sealed class RegisterAgencyCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<RegisterAgencyCommand, AgencyDto>
{
    public async ValueTask<AgencyDto> Handle(RegisterAgencyCommand command, CancellationToken cancellationToken)
    {
        var agency = new Agency
        {
            Id = Guid.CreateVersion7(), Name = command.Name.Trim(), Kind = command.Kind, RegisteredAt = clock.GetUtcNow(), ReleaseHotlistDays = command.ReleaseHotlistDays,
            Sector = command.Sector ?? AgencySectors.Public, State = string.IsNullOrWhiteSpace(command.State) ? null : command.State.Trim().ToUpperInvariant(),
            Functions = (command.Functions ?? []).Distinct().ToList(), PartOfCity = command.PartOfCity,
        };
        // Looked up first, so an ordinary repeat is no database error; the unique index still settles a race.
        if (await db.Agencies.AnyAsync(a => a.Name == agency.Name, cancellationToken))
            throw Taken(agency.Name);
        db.Agencies.Add(agency);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw Taken(agency.Name);
        }
        return agency.ToDto();
    }

    private static DomainRuleException Taken(string name) => new($"An agency named '{name}' is already registered.");
}

internal sealed class ListAgenciesQueryHandler(IntelligenceDbContext db) : IQueryHandler<ListAgenciesQuery, IReadOnlyList<AgencyDto>>
{
    public async ValueTask<IReadOnlyList<AgencyDto>> Handle(ListAgenciesQuery query, CancellationToken cancellationToken) =>
        (await db.Agencies.AsNoTracking().OrderBy(a => a.Name).ToListAsync(cancellationToken)).Select(a => a.ToDto()).ToList();
}

internal sealed class GetAgencyQueryHandler(IntelligenceDbContext db) : IQueryHandler<GetAgencyQuery, AgencyDto?>
{
    public async ValueTask<AgencyDto?> Handle(GetAgencyQuery query, CancellationToken cancellationToken) =>
        (await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == query.AgencyId, cancellationToken))?.ToDto();
}

internal sealed class AddSharingAgreementCommandValidator : AbstractValidator<AddSharingAgreementCommand>
{
    public AddSharingAgreementCommandValidator()
    {
        RuleFor(c => c.FromAgencyId).NotEmpty();
        RuleFor(c => c.ToAgencyId).NotEmpty().NotEqual(c => c.FromAgencyId).WithMessage("An agency always sees its own records.");
    }
}

internal sealed class AddSharingAgreementCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<AddSharingAgreementCommand, Guid>
{
    public async ValueTask<Guid> Handle(AddSharingAgreementCommand command, CancellationToken ct)
    {
        var ids = new[] { command.FromAgencyId, command.ToAgencyId };
        var agencies = await db.Agencies.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        if (agencies.Count != 2)
            throw new DomainRuleException("Both agencies must be registered.", 404);
        // An agreement lets the receiving agency's analysts see persons, and with them every data class their access rules show: every rule applies.
        var (from, to) = (agencies.Single(a => a.Id == command.FromAgencyId), agencies.Single(a => a.Id == command.ToAgencyId));
        if (await Sharing.BreachesAsync(db, to, null, ct) is { Count: > 0 } breaches)
            throw new DomainRuleException($"Refused: {string.Join(" ", breaches)}", 400);
        var existing = await db.SharingAgreements.SingleOrDefaultAsync(s => s.FromAgencyId == command.FromAgencyId && s.ToAgencyId == command.ToAgencyId, ct);
        if (existing is not null)
            return existing.Id;
        var now = clock.GetUtcNow();
        var agreement = new SharingAgreement { Id = Guid.CreateVersion7(), FromAgencyId = command.FromAgencyId, ToAgencyId = command.ToAgencyId, CreatedAt = now, CreatedBy = command.By };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SharingAgreements.Add(agreement);
        await db.SaveChangesAsync(ct);
        // Oversight reads the names; the ids say which agencies exactly.
        await db.AuditAsync(command.By, "Intelligence", "add-sharing-agreement", null,
            new { from = from.Name, to = to.Name, command.FromAgencyId, command.ToAgencyId }, now, ct);
        await tx.CommitAsync(ct);
        return agreement.Id;
    }
}

internal sealed class SetAgencySharingProfileCommandValidator : AbstractValidator<SetAgencySharingProfileCommand>
{
    public SetAgencySharingProfileCommandValidator()
    {
        RuleFor(c => c.AgencyId).NotEmpty();
        RuleFor(c => c.Sector).Must(AgencySectors.All.Contains).WithMessage($"'Sector' must be one of: {string.Join(", ", AgencySectors.All)}.");
        RuleFor(c => c.State).Must(s => string.IsNullOrWhiteSpace(s) || Sharing.StateCode().IsMatch(s.Trim().ToUpperInvariant()))
            .WithMessage("'State' must be a two-letter state code (leave it empty for a federal agency).");
        RuleFor(c => c.Functions).Must(f => f is null || f.All(AgencyFunctions.All.Contains))
            .WithMessage($"'Functions' must be among: {string.Join(", ", AgencyFunctions.All)}.");
    }
}

internal sealed class SetAgencySharingProfileCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<SetAgencySharingProfileCommand, AgencyDto?>
{
    public async ValueTask<AgencyDto?> Handle(SetAgencySharingProfileCommand c, CancellationToken ct)
    {
        if (await db.Agencies.SingleOrDefaultAsync(a => a.Id == c.AgencyId, ct) is not { } agency)
            return null;
        var before = agency.ToDto();
        agency.Sector = c.Sector;
        agency.State = string.IsNullOrWhiteSpace(c.State) ? null : c.State.Trim().ToUpperInvariant();
        agency.Functions = (c.Functions ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
        agency.PartOfCity = c.PartOfCity;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Intelligence", "set-agency-sharing-profile", null, new { before, after = agency.ToDto() }, now, ct);
        await tx.CommitAsync(ct);
        return agency.ToDto();
    }
}
