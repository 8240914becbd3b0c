using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Shared.Audit;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed class GetPersonQueryValidator : AbstractValidator<GetPersonQuery>
{
    public GetPersonQueryValidator()
    {
        RuleFor(q => q.PersonId).NotEmpty();
        RuleFor(q => q.Purpose).NotEmpty().WithMessage("State the purpose of viewing this record (case number or reason); it is audited.")
            .MinimumLength(4).MaximumLength(500);
    }
}

/// <summary>
/// Everything about one person the viewer may see: each agency's record of them (with the link evidence), vehicles, records as a timeline,
/// and a link graph person ↔ vehicle ↔ case/record. Null when the viewer may see nothing of them. Every view is audited with purpose.
/// </summary>
internal sealed class GetPersonQueryHandler(IntelligenceDbContext db, TimeProvider clock) : IQueryHandler<GetPersonQuery, PersonDetailDto?>
{
    public async ValueTask<PersonDetailDto?> Handle(GetPersonQuery q, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var plan = await AccessPlan.ForAsync(db, q.Viewer, now, ct);
        var person = await db.Persons.AsNoTracking().SingleOrDefaultAsync(p => p.Id == q.PersonId, ct);
        var agencies = await db.Agencies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var identities = person is null ? [] : await db.Identities.AsNoTracking().Where(plan.Identities()).Where(i => i.PersonId == q.PersonId)
            .OrderBy(i => i.ReceivedAt).ToListAsync(ct);
        var records = person is null ? [] : await db.Records.AsNoTracking().Where(plan.Records()).Where(r => r.PersonId == q.PersonId)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.ReceivedAt).ToListAsync(ct);
        var vehicles = person is null ? [] : await db.Vehicles.AsNoTracking().Where(plan.Vehicles()).Where(v => v.OwnerPersonId == q.PersonId).ToListAsync(ct);
        var visible = identities.Count > 0 || records.Count > 0;
        await db.AuditAsync(q.Viewer.Actor, "Intelligence", "view-person", q.Purpose.Trim(),
            new { personId = q.PersonId, roles = q.Viewer.Roles, shown = visible, records = records.Count }, now, ct);
        if (person is null || !visible)
            return null;

        var name = identities.Count > 0 ? $"{identities[0].FirstName} {identities[0].LastName}" : "(name not visible to you)";
        var personFull = plan.For(RecordKinds.Person)?.Full == true && identities.Count > 0;
        var links = identities.Select(i => new PersonLinkDto(i.Id, i.PersonId, agencies.GetValueOrDefault(i.AgencyId, "?"), i.SourceId,
            $"{i.FirstName} {i.LastName}", i.DateOfBirth, i.LinkScore, i.LinkStatus, i.LinkEvidence)).ToList();
        var recordDtos = records.Select(r => plan.ToDto(r, agencies.GetValueOrDefault(r.AgencyId, "?"))).ToList();
        var vehicleDtos = vehicles.Select(v => plan.ToDto(v, name)).ToList();

        var nodes = new List<GraphNodeDto> { new($"person:{person.Id}", "person", name) };
        var edges = new List<GraphEdgeDto>();
        foreach (var v in vehicleDtos)
        {
            nodes.Add(new GraphNodeDto($"vehicle:{v.VehicleId}", "vehicle", $"{v.Plate} ({v.Region})"));
            edges.Add(new GraphEdgeDto($"person:{person.Id}", $"vehicle:{v.VehicleId}", "registered owner"));
        }
        foreach (var r in recordDtos)
        {
            nodes.Add(new GraphNodeDto($"{r.Kind}:{r.Id}", r.Kind, r.Summary));
            edges.Add(new GraphEdgeDto($"person:{person.Id}", $"{r.Kind}:{r.Id}", r.Agency));
        }
        var flags = new List<string>();
        if (records.Any(r => r.Kind == RecordKinds.Warrant && r.Status == WarrantStatus.Active))
            flags.Add("active warrant");
        if (records.Any(r => r.Kind == RecordKinds.Supervision && (r.EndedAt == null || r.EndedAt > now)))
            flags.Add("under supervision");
        if (records.Count(r => r.Kind == RecordKinds.Booking) >= 2)
            flags.Add("recidivist");
        return new PersonDetailDto(person.Id, name, identities.FirstOrDefault()?.DateOfBirth, personFull ? person.Address : null,
            personFull ? person.District : null, flags, links, vehicleDtos, recordDtos, nodes, edges, plan.For(RecordKinds.PlateSighting) is not null);
    }
}
