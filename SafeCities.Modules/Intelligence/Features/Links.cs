using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed class ConfirmPersonLinkCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<ConfirmPersonLinkCommand, PersonLinkDto>
{
    public async ValueTask<PersonLinkDto> Handle(ConfirmPersonLinkCommand command, CancellationToken ct)
    {
        var identity = await db.Identities.FindAsync([command.IdentityId], ct) ?? throw new DomainRuleException("No such person record.", 404);
        identity.LinkStatus = PersonIdentity.Confirmed;
        identity.LinkEvidence = [.. identity.LinkEvidence.Where(e => !e.StartsWith("confirmed by ", StringComparison.Ordinal)), $"confirmed by {command.By}"];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(command.By, "Intelligence", "confirm-link", null, new { identityId = identity.Id, personId = identity.PersonId }, clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return await LinkDtos.OfAsync(db, identity, ct);
    }
}

/// <summary>Moves an agency's person record, with its names and records, to a new person of its own.</summary>
internal sealed class SplitPersonLinkCommandHandler(IntelligenceDbContext db, TimeProvider clock) : ICommandHandler<SplitPersonLinkCommand, PersonLinkDto>
{
    public async ValueTask<PersonLinkDto> Handle(SplitPersonLinkCommand command, CancellationToken ct)
    {
        var identity = await db.Identities.FindAsync([command.IdentityId], ct) ?? throw new DomainRuleException("No such person record.", 404);
        var from = identity.PersonId;
        if (await db.Identities.CountAsync(i => i.PersonId == from, ct) == 1)
            throw new DomainRuleException("This is the person's only record: there is nothing to split it from.", 409);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var person = new Person
        {
            Id = Guid.CreateVersion7(), DisplayName = identity.FullName, DateOfBirth = identity.DateOfBirth, Address = identity.Address,
            District = identity.District, CreatedAt = now, UpdatedAt = now,
        };
        db.Persons.Add(person);
        identity.PersonId = person.Id;
        identity.LinkStatus = PersonIdentity.Split;
        identity.LinkEvidence = [$"split from {from} by {command.By}"];
        await db.SaveChangesAsync(ct);
        await db.Names.Where(n => n.IdentityId == identity.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.PersonId, person.Id), ct);
        // Records and vehicles sent by the same agency about this person record follow it.
        var sourceIds = await db.Records.Where(r => r.PersonId == from && r.AgencyId == identity.AgencyId).Select(r => r.Id).ToListAsync(ct);
        await db.Records.Where(r => sourceIds.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.PersonId, person.Id), ct);
        await db.Vehicles.Where(v => v.OwnerPersonId == from && v.AgencyId == identity.AgencyId)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.OwnerPersonId, person.Id), ct);
        await db.AuditAsync(command.By, "Intelligence", "split-link", null, new { identityId = identity.Id, from, to = person.Id }, now, ct);
        await tx.CommitAsync(ct);
        return await LinkDtos.OfAsync(db, identity, ct);
    }
}

internal static class LinkDtos
{
    public static async Task<PersonLinkDto> OfAsync(IntelligenceDbContext db, PersonIdentity i, CancellationToken ct)
    {
        var agency = await db.Agencies.Where(a => a.Id == i.AgencyId).Select(a => a.Name).SingleAsync(ct);
        return new PersonLinkDto(i.Id, i.PersonId, agency, i.SourceId, i.FullName, i.DateOfBirth, i.LinkScore, i.LinkStatus, i.LinkEvidence);
    }
}
