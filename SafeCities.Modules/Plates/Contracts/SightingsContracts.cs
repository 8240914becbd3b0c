using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Modules.Plates.Contracts;

/// <summary>A vehicle as another module knows it: its plate and region (normalised by Plates before matching).</summary>
public sealed record VehiclePlateDto(string Plate, string Region);

/// <summary>
/// The recent sightings of known vehicles (a person's vehicles on their Intelligence page), newest first, at most
/// <paramref name="Limit"/>, only reads captured within the read retention period, each with the incidents the read is tied to.
/// A plate lookup like a search: it carries the statement of the view it serves (case number, offence, purpose, and that view's approval when it
/// needed one; without a case number the approval is required) and is written to the audit log (action <c>vehicle-sightings</c>, with the actor,
/// statement, plates and <paramref name="Reference"/>) before anything is returned. Not gated itself: only the person view asks for it.
/// </summary>
/// <param name="ViewerAgencyId">The agency of the person or client who asked (their claim), null for the city's own staff and for work done for
/// nobody: another agency's viewer is held to the sharing rules and its reads logged (ADR 0051).</param>
/// <param name="Reference">What the lookup was made for, kept in the audit record (e.g. "intelligence person {id}").</param>
public sealed record ListVehicleSightingsQuery(string Actor, Guid? ViewerAgencyId, string? Purpose, IReadOnlyList<VehiclePlateDto>? Vehicles, string? Reference = null,
    int Limit = 200, string? CaseNumber = null, string? Offence = null, Guid? ApprovalId = null) : IQuery<IReadOnlyList<VehicleSightingDto>>, IStatedPurpose
{
    string IStatedPurpose.LookupKind => "Plates/vehicle-sightings";

    public const int MaxVehicles = 100;
}

/// <param name="IncidentIds">The incidents this read is tied to (its reader was armed for them), none when it is not.</param>
public sealed record VehicleSightingDto(PlateSightingDto Read, IReadOnlyList<Guid> IncidentIds);
