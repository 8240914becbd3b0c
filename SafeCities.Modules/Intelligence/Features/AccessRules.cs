using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed class ListAccessRulesQueryHandler(IntelligenceDbContext db) : IQueryHandler<ListAccessRulesQuery, IReadOnlyList<AccessRuleDto>>
{
    public async ValueTask<IReadOnlyList<AccessRuleDto>> Handle(ListAccessRulesQuery query, CancellationToken ct) =>
        await db.AccessRules.AsNoTracking().OrderBy(r => r.AgencyId).ThenBy(r => r.Role).ThenBy(r => r.RecordKind)
            .Select(r => new AccessRuleDto(r.Id, r.Role, r.RecordKind, r.Access, r.Scope, r.IncludeSealed, r.AgencyId)).ToListAsync(ct);
}

internal sealed class SetAccessRuleCommandValidator : AbstractValidator<SetAccessRuleCommand>
{
    public SetAccessRuleCommandValidator()
    {
        RuleFor(c => c.Role).Must(Roles.People.Contains).WithMessage($"'Role' must be one of: {string.Join(", ", Roles.People)}.");
        RuleFor(c => c.RecordKind).Must(RecordKinds.All.Contains).WithMessage($"'Record Kind' must be one of: {string.Join(", ", RecordKinds.All)}.");
        RuleFor(c => c.Access).Must(a => a == AccessPlan.None || AccessLevels.All.Contains(a))
            .WithMessage($"'Access' must be one of: {string.Join(", ", AccessLevels.All)}, none.");
        RuleFor(c => c.Scope).Must(AccessScopes.Every.Contains).WithMessage($"'Scope' must be one of: {string.Join(", ", AccessScopes.Every)}.");
    }
}

/// <summary>
/// Creates or replaces the rule for (role, kind, agency). "none" as a default removes the rule; as an agency rule it stores a denial that
/// overrides the default for that agency's viewers. Audited.
/// </summary>
internal sealed class SetAccessRuleCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<SetAccessRuleCommand, AccessRuleDto?>
{
    public async ValueTask<AccessRuleDto?> Handle(SetAccessRuleCommand c, CancellationToken ct)
    {
        if (c.AgencyId is { } agencyId && !await db.Agencies.AnyAsync(a => a.Id == agencyId, ct))
            throw new Shared.Messaging.DomainRuleException("No such agency.", 404);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rule = await db.AccessRules.SingleOrDefaultAsync(r => r.Role == c.Role && r.RecordKind == c.RecordKind && r.AgencyId == c.AgencyId, ct);
        AccessRuleDto? result = null;
        if (c.Access == AccessPlan.None && c.AgencyId is null)
        {
            if (rule is not null)
                db.AccessRules.Remove(rule);
        }
        else
        {
            if (rule is null)
            {
                rule = new AccessRule { Id = Guid.CreateVersion7(), Role = c.Role, RecordKind = c.RecordKind, Access = c.Access, Scope = c.Scope, AgencyId = c.AgencyId };
                db.AccessRules.Add(rule);
            }
            (rule.Access, rule.Scope, rule.IncludeSealed) = (c.Access, c.Scope, c.IncludeSealed);
            result = new AccessRuleDto(rule.Id, rule.Role, rule.RecordKind, rule.Access, rule.Scope, rule.IncludeSealed, rule.AgencyId);
        }
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Intelligence", "set-access-rule", null, new { c.Role, c.RecordKind, c.Access, c.Scope, c.IncludeSealed, c.AgencyId }, now, ct);
        await tx.CommitAsync(ct);
        return result;
    }
}
