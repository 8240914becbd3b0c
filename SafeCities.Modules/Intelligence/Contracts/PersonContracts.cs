using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- entity resolution ----------

public sealed record PersonLinkDto(Guid IdentityId, Guid PersonId, string Agency, string SourceId, string Name, DateOnly? DateOfBirth,
    double Score, string Status, IReadOnlyList<string> Evidence);

/// <summary>An analyst confirms that an agency's person record belongs to the person it was linked to.</summary>
public sealed record ConfirmPersonLinkCommand(Guid IdentityId, string By) : ICommand<PersonLinkDto>;

/// <summary>An analyst splits an agency's person record off into a person of its own.</summary>
public sealed record SplitPersonLinkCommand(Guid IdentityId, string By) : ICommand<PersonLinkDto>;

// ---------- a person ----------

/// <summary>One person as the viewer may see them; states its case number, offence and purpose like a search (ADR 0047).</summary>
public sealed record GetPersonQuery(Viewer Viewer, Guid PersonId, string? Purpose, string? CaseNumber = null, string? Offence = null, Guid? ApprovalId = null)
    : IQuery<PersonDetailDto?>, IApprovalGated
{
    string IStatedPurpose.Actor => Viewer.Actor;
    string IStatedPurpose.LookupKind => "Intelligence/view-person";
}

public sealed record GraphNodeDto(string Id, string Kind, string Label);

/// <summary>Kinds of link-graph edges: <c>identity</c> (an agency's person record linked to the person; confirm or split it), <c>owner</c>,
/// <c>record</c>, <c>case-number</c> (two records carrying the same case number), <c>incident</c> (a read or a located record near it).</summary>
public static class GraphEdgeKinds
{
    public const string Identity = "identity";
    public const string Owner = "owner";
    public const string Record = "record";
    public const string CaseNumber = "case-number";
    public const string Incident = "incident";
}

/// <param name="Evidence">Why the edge exists, line by line (link evidence, shared case number, distance…).</param>
/// <param name="IdentityId">For an <c>identity</c> edge: the agency's person record to confirm or split.</param>
public sealed record GraphEdgeDto(string From, string To, string Label, string Kind = GraphEdgeKinds.Record, IReadOnlyList<string>? Evidence = null,
    Guid? IdentityId = null);

/// <summary>A read of one of the person's vehicles (from Plates), with the incidents Plates tied the read to.</summary>
public sealed record PersonSightingDto(Guid ReadId, Guid VehicleId, string Plate, string Region, DateTimeOffset CapturedAt, double Confidence,
    string? Description, string ReaderName, double Latitude, double Longitude, IReadOnlyList<Guid> IncidentIds);

/// <summary>
/// An incident near the person (from Alerts). <paramref name="Access"/> <c>summary</c> leaves out its position; <paramref name="Reasons"/>
/// say why it is on the page ("ABC123 read 120 m away, tied by Plates", "call for service 80 m away").
/// </summary>
public sealed record PersonIncidentDto(Guid Id, string Kind, string Title, string Status, DateTimeOffset OpenedAt, DateTimeOffset LastActivityAt,
    string Access, double? Latitude, double? Longitude, IReadOnlyList<string> Reasons);

/// <summary>One line of the person's timeline, newest first: an agency record (<paramref name="Kind"/> its record kind) or an incident.</summary>
public sealed record PersonTimelineEntryDto(DateTimeOffset? At, string Kind, Guid Id, string Text);

/// <param name="PlateSightingsVisible">The viewer's access rules let them see this person's plate sightings (Plates was asked, and audited it).</param>
/// <param name="IncidentsVisible">The viewer's access rules let them see incidents near this person.</param>
public sealed record PersonDetailDto(Guid Id, string Name, DateOnly? DateOfBirth, string? Address, string? District, IReadOnlyList<string> Flags,
    IReadOnlyList<PersonLinkDto> Identities, IReadOnlyList<VehicleHitDto> Vehicles, IReadOnlyList<RecordDto> Records,
    IReadOnlyList<GraphNodeDto> Nodes, IReadOnlyList<GraphEdgeDto> Edges, bool PlateSightingsVisible, IReadOnlyList<PersonSightingDto> Sightings,
    bool IncidentsVisible, IReadOnlyList<PersonIncidentDto> Incidents, IReadOnlyList<PersonTimelineEntryDto> Timeline);
