using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Modules.Intelligence.Domain;

internal sealed class Agency
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset RegisteredAt { get; init; }
    /// <summary>Policy: a released reoffender's vehicles go onto a plate hotlist for this many days (null: never).</summary>
    public int? ReleaseHotlistDays { get; set; }

    public AgencyDto ToDto() => new(Id, Name, Kind, RegisteredAt, ReleaseHotlistDays);
}

/// <summary>Agency <see cref="FromAgencyId"/> shares its records with viewers of agency <see cref="ToAgencyId"/>.</summary>
internal sealed class SharingAgreement
{
    public Guid Id { get; init; }
    public Guid FromAgencyId { get; init; }
    public Guid ToAgencyId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
}
