using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed class RegisterAgencyCommandValidator : AbstractValidator<RegisterAgencyCommand>
{
    public RegisterAgencyCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(160);
        RuleFor(c => c.Kind).Must(AgencyKinds.All.Contains).WithMessage($"'Kind' must be one of: {string.Join(", ", AgencyKinds.All)}.");
    }
}

internal sealed class RegisterAgencyCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<RegisterAgencyCommand, AgencyDto>
{
    public async ValueTask<AgencyDto> Handle(RegisterAgencyCommand command, CancellationToken cancellationToken)
    {
        var agency = new Agency { Id = Guid.CreateVersion7(), Name = command.Name.Trim(), Kind = command.Kind, RegisteredAt = clock.GetUtcNow() };
        db.Agencies.Add(agency);
        await db.SaveChangesAsync(cancellationToken);
        return agency.ToDto();
    }
}

internal sealed class ListAgenciesQueryHandler(IntelligenceDbContext db) : IQueryHandler<ListAgenciesQuery, IReadOnlyList<AgencyDto>>
{
    public async ValueTask<IReadOnlyList<AgencyDto>> Handle(ListAgenciesQuery query, CancellationToken cancellationToken) =>
        (await db.Agencies.AsNoTracking().OrderBy(a => a.Name).ToListAsync(cancellationToken)).Select(a => a.ToDto()).ToList();
}
