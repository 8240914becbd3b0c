using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Purposes;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed class GetPersonQueryValidator : AbstractValidator<GetPersonQuery>
{
    public GetPersonQueryValidator(PurposePolicy purposes)
    {
        RuleFor(q => q.PersonId).NotEmpty();
        Include(new StatedPurposeValidator(purposes));
    }
}

/// <summary>
/// Everything about one person the viewer may see: each agency's record of them (with the link evidence), vehicles, the recent plate
/// sightings of those vehicles (from Plates, which audits the look-up with the same purpose), incidents near them (from Alerts: tied by
/// Plates to a sighting, or within <see cref="NearMeters"/> and ±<see cref="NearMinutes"/> of a sighting or of a located record),
/// records and incidents as a timeline, and a link graph person ↔ vehicle ↔ incident and person ↔ case/record. Null when the viewer
/// may see nothing of them. Every view is audited with purpose. Sightings and incidents are asked for only when the access rules
/// (kinds <c>plate-sighting</c> and <c>incident</c>) let this viewer see them for this person.
/// </summary>
internal sealed class GetPersonQueryHandler(IntelligenceDbContext db, ISender sender, TimeProvider clock, PurposePolicy purposes, CityClock cityClock) : IQueryHandler<GetPersonQuery, PersonDetailDto?>
{
    public const int NearMeters = 500;
    public const int NearMinutes = 30;
    public const int MaxSightings = 200;
    public const int MaxIncidents = 100;
    private const int MaxLocatedRecords = 500;

    public async ValueTask<PersonDetailDto?> Handle(GetPersonQuery q, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var plan = await AccessPlan.ForAsync(db, q.Viewer, now, ct);
        await Sharing.ThrowIfBlockedAsync(db, q.Viewer, plan, "view-person", PurposeAudit.Text(q), now, ct);
        var person = await db.Persons.AsNoTracking().SingleOrDefaultAsync(p => p.Id == q.PersonId, ct);
        var agencies = await db.Agencies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var identities = person is null ? [] : await db.Identities.AsNoTracking().Where(plan.Identities()).Where(i => i.PersonId == q.PersonId)
            .OrderBy(i => i.ReceivedAt).ToListAsync(ct);
        var records = person is null ? [] : await db.Records.AsNoTracking().Where(plan.Records()).Where(r => r.PersonId == q.PersonId)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.ReceivedAt).ToListAsync(ct);
        var vehicles = person is null ? [] : await db.Vehicles.AsNoTracking().Where(plan.Vehicles()).Where(v => v.OwnerPersonId == q.PersonId).ToListAsync(ct);
        var visible = identities.Count > 0 || records.Count > 0;
        Task Audit() => db.AuditAsync(q, purposes, "Intelligence", "view-person",
            new { personId = q.PersonId, roles = q.Viewer.Roles, shown = visible, records = records.Count }, now, ct);
        if (person is null || !visible)
        {
            await Audit();
            return null;
        }

        var name = identities.Count > 0 ? $"{identities[0].FirstName} {identities[0].LastName}" : "(name not visible to you)";
        var personFull = plan.For(RecordKinds.Person)?.Full == true && identities.Count > 0;
        var links = identities.Select(i => new PersonLinkDto(i.Id, i.PersonId, agencies.GetValueOrDefault(i.AgencyId, "?"), i.SourceId,
            $"{i.FirstName} {i.LastName}", i.DateOfBirth, i.LinkScore, i.LinkStatus, i.LinkEvidence)).ToList();
        var recordDtos = records.Select(r => plan.ToDto(r, agencies.GetValueOrDefault(r.AgencyId, "?"))).ToList();
        var vehicleDtos = vehicles.Select(v => plan.ToDto(v, name)).ToList();
        var sightingsVisible = plan.AboutPerson(RecordKinds.PlateSighting, person.Id) is not null;
        var incidentAccess = plan.AboutPerson(RecordKinds.Incident, person.Id);
        var sightings = sightingsVisible ? await SightingsAsync(q, person.Id, vehicleDtos, ct) : [];
        var graph = new PersonGraph(person.Id, name);
        foreach (var l in links)
            graph.Link("person", $"identity:{l.IdentityId}", "agency-record", $"{l.Agency}: {l.SourceId}", $"{l.Status}" + (l.Score > 0 ? $" {l.Score:0.00}" : ""),
                GraphEdgeKinds.Identity, [$"{l.Agency} record {l.SourceId}: {l.Name}" + (l.DateOfBirth is { } dob ? $", born {dob:yyyy-MM-dd}" : ""), .. l.Evidence],
                l.IdentityId);
        foreach (var v in vehicleDtos)
            graph.Link("person", $"vehicle:{v.VehicleId}", "vehicle", $"{v.Plate} ({v.Region})", "registered owner", GraphEdgeKinds.Owner);
        foreach (var r in recordDtos)
            graph.Link("person", $"{r.Kind}:{r.Id}", r.Kind, r.Summary, r.Agency, GraphEdgeKinds.Record, [$"{r.Kind} {r.SourceId} from {r.Agency}"]);
        LinkCaseNumbers(graph, recordDtos);
        var incidents = incidentAccess is null ? [] : await IncidentsAsync(sightings, recordDtos, incidentAccess, graph, ct);

        var flags = new List<string>();
        if (records.Any(r => r.Kind == RecordKinds.Warrant && r.Status == WarrantStatus.Active))
            flags.Add("active warrant");
        if (records.Any(r => r.Kind == RecordKinds.Supervision && (r.EndedAt == null || r.EndedAt > now)))
            flags.Add("under supervision");
        if (records.Count(r => r.Kind == RecordKinds.Booking) >= 2)
            flags.Add("recidivist");
        var timeline = recordDtos.Select(r => new PersonTimelineEntryDto(r.StartedAt, r.Kind, r.Id, $"{r.Summary} — {r.Agency}"))
            .Concat(incidents.Select(i => new PersonTimelineEntryDto(i.OpenedAt, RecordKinds.Incident, i.Id, i.Title)))
            .OrderByDescending(e => e.At ?? DateTimeOffset.MaxValue).ToList();   // stable: undated records first, as the records are ordered

        // The view's audit entry and, for a viewer of another agency, what it was shown of data not its own (issue 14) commit together.
        // The plate sightings are not counted here: Plates logs what its look-up returned (action vehicle-sightings, ADR 0051).
        var partOfCity = q.Viewer.AgencyId is { } own && await db.Agencies.AnyAsync(a => a.Id == own && a.PartOfCity, ct);
        var reads = new Dictionary<string, int>()
            .Count(q.Viewer, partOfCity, identities.Where(i => i.AgencyId != q.Viewer.AgencyId).Take(1), _ => DataClasses.Persons, i => i.AgencyId)
            .Count(q.Viewer, partOfCity, records, r => DataClasses.Of(r.Kind), r => r.AgencyId)
            .Count(q.Viewer, partOfCity, vehicles, _ => DataClasses.Vehicles, v => v.AgencyId)
            .Count(q.Viewer, partOfCity, incidents, _ => DataClasses.Incidents, _ => null);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await Audit();
            await Sharing.LogReadsAsync(db, q.Viewer, "view-person", reads, now, ct);
            await tx.CommitAsync(ct);
        }
        return new PersonDetailDto(person.Id, name, identities.FirstOrDefault()?.DateOfBirth, personFull ? person.Address : null,
            personFull ? person.District : null, flags, links, vehicleDtos, recordDtos, graph.Nodes, graph.Edges, sightingsVisible, sightings,
            incidentAccess is not null, incidents, timeline);
    }

    /// <summary>The recent reads of the vehicles the viewer sees, from Plates (which audits the look-up with this view's purpose).</summary>
    private async Task<List<PersonSightingDto>> SightingsAsync(GetPersonQuery q, Guid personId, List<VehicleHitDto> vehicles, CancellationToken ct)
    {
        if (vehicles.Count == 0)
            return [];
        var byPlate = vehicles.ToDictionary(v => (v.Plate, v.Region));
        var reads = await sender.Send(new ListVehicleSightingsQuery(q.Viewer.Actor, q.Viewer.AgencyId, PurposeAudit.Text(q),
            vehicles.Take(ListVehicleSightingsQuery.MaxVehicles).Select(v => new VehiclePlateDto(v.Plate, v.Region)).ToList(), $"intelligence person {personId}",
            MaxSightings, q.CaseNumber, q.Offence, q.ApprovalId), ct);
        return reads.Where(s => byPlate.ContainsKey((s.Read.Plate, s.Read.Region))).Select(s =>
        {
            var (read, vehicle) = (s.Read, byPlate[(s.Read.Plate, s.Read.Region)]);
            var description = string.Join(' ', new[] { read.Color, read.Make, read.Model }.Where(x => !string.IsNullOrWhiteSpace(x)));
            return new PersonSightingDto(read.ReadId, vehicle.VehicleId, read.Plate, read.Region, read.CapturedAt, read.Confidence,
                description.Length > 0 ? description : null, read.ReaderName, read.Latitude, read.Longitude, s.IncidentIds);
        }).ToList();
    }

    /// <summary>
    /// Incidents tied to the sightings by Plates, or near a sighting or a located record (a record the viewer sees in full, with a place and a
    /// time), from Alerts; each joins the graph: vehicle ↔ incident for a read, person ↔ incident for a located record.
    /// </summary>
    private async Task<List<PersonIncidentDto>> IncidentsAsync(List<PersonSightingDto> sightings, List<RecordDto> records, KindAccess access,
        PersonGraph graph, CancellationToken ct)
    {
        var located = records.Where(r => r is { Latitude: not null, Longitude: not null, StartedAt: not null }).Take(MaxLocatedRecords).ToList();
        var places = sightings.Select(s => new IncidentPlaceDto(s.Latitude, s.Longitude, s.CapturedAt))
            .Concat(located.Select(r => new IncidentPlaceDto(r.Latitude!.Value, r.Longitude!.Value, r.StartedAt!.Value))).ToList();
        var tied = sightings.SelectMany(s => s.IncidentIds).Distinct().ToList();
        if (places.Count == 0 && tied.Count == 0)
            return [];
        var found = await sender.Send(new ListIncidentsNearQuery(places, tied, NearMeters, NearMinutes, MaxIncidents), ct);

        var result = new List<PersonIncidentDto>();
        foreach (var (incident, near) in found)
        {
            var node = $"incident:{incident.Id}";
            var label = $"{incident.Title}, {cityClock.Format(incident.OpenedAt, CityTimeFormat.DateTime)}";
            var reasons = new List<string>();
            // Per vehicle, the read nearest the incident among those tied to it or near it.
            var reads = sightings.Where(s => s.IncidentIds.Contains(incident.Id))
                .Concat(near.Where(m => m.Place < sightings.Count).Select(m => sightings[m.Place])).Distinct()
                .Select(s => (Sighting: s, Meters: GeoMath.DistanceMeters(s.Latitude, s.Longitude, incident.Latitude, incident.Longitude),
                    Tied: s.IncidentIds.Contains(incident.Id)));
            foreach (var byVehicle in reads.GroupBy(r => r.Sighting.VehicleId))
            {
                var (s, meters, _) = byVehicle.MinBy(r => r.Meters);
                var text = $"read {meters:0} m away" + (byVehicle.Any(r => r.Tied) ? ", tied by Plates" : "");
                var reason = $"{s.Plate} {text} ({cityClock.Format(s.CapturedAt, CityTimeFormat.DateTime)}, {s.ReaderName})";
                graph.Link($"vehicle:{byVehicle.Key}", node, RecordKinds.Incident, label, text, GraphEdgeKinds.Incident, [reason]);
                reasons.Add(reason);
            }
            foreach (var m in near.Where(m => m.Place >= sightings.Count))
            {
                var r = located[m.Place - sightings.Count];
                var text = $"{r.Kind} {r.SourceId} {m.DistanceMeters:0} m away";
                var reason = $"{text} ({cityClock.Format(r.StartedAt!.Value, CityTimeFormat.DateTime)})";
                graph.Link("person", node, RecordKinds.Incident, label, text, GraphEdgeKinds.Incident, [reason]);
                reasons.Add(reason);
            }
            result.Add(new PersonIncidentDto(incident.Id, incident.Kind, incident.Title, incident.Status, incident.OpenedAt, incident.LastActivityAt,
                access.Access, access.Full ? incident.Latitude : null, access.Full ? incident.Longitude : null, reasons));
        }
        return result;
    }

    /// <summary>
    /// Records that carry the same case number (in the details the viewer sees in full: a summary never links) are joined: a court case to each
    /// warrant or incident report of that case, or, without a court case, each record to the next.
    /// </summary>
    private static void LinkCaseNumbers(PersonGraph graph, List<RecordDto> records)
    {
        var byCase = records.Where(r => r.Details?.GetValueOrDefault("caseNumber") is { Length: > 0 })
            .GroupBy(r => r.Details!["caseNumber"].Trim().ToUpperInvariant()).Where(g => g.Count() > 1);
        foreach (var group in byCase)
        {
            var list = group.OrderBy(r => r.Kind == RecordKinds.CourtCase ? 0 : 1).ThenBy(r => r.StartedAt).ToList();
            var hub = list[0].Kind == RecordKinds.CourtCase;
            for (var i = 1; i < list.Count; i++)
            {
                var (a, b) = (hub ? list[0] : list[i - 1], list[i]);
                graph.Edge($"{a.Kind}:{a.Id}", $"{b.Kind}:{b.Id}", $"case {a.Details!["caseNumber"]}", GraphEdgeKinds.CaseNumber,
                    [$"{a.Kind} {a.SourceId} ({a.Agency}) and {b.Kind} {b.SourceId} ({b.Agency}) both carry case number {a.Details!["caseNumber"]}"]);
            }
        }
    }

    /// <summary>The link graph: nodes once each, edges as found; "person" names the person's own node.</summary>
    private sealed class PersonGraph(Guid personId, string name)
    {
        private readonly string person = $"person:{personId}";
        public List<GraphNodeDto> Nodes { get; } = [new($"person:{personId}", "person", name)];
        public List<GraphEdgeDto> Edges { get; } = [];

        public void Link(string from, string to, string kind, string label, string edge, string edgeKind, IReadOnlyList<string>? evidence = null,
            Guid? identityId = null)
        {
            if (!Nodes.Any(n => n.Id == to))
                Nodes.Add(new GraphNodeDto(to, kind, label));
            Edge(from, to, edge, edgeKind, evidence, identityId);
        }

        public void Edge(string from, string to, string label, string kind, IReadOnlyList<string>? evidence = null, Guid? identityId = null) =>
            Edges.Add(new GraphEdgeDto(from == "person" ? person : from, to, label, kind, evidence ?? [label], identityId));
    }
}
