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
    public string Sector { get; set; } = AgencySectors.Public;
    /// <summary>Two-letter state code, upper case; null: federal or unknown.</summary>
    public string? State { get; set; }
    public List<string> Functions { get; set; } = [];
    /// <summary>A department of the city itself: the city's own data (plates, incidents) is not shared with it, it is its own.</summary>
    public bool PartOfCity { get; set; }

    public AgencyDto ToDto() => new(Id, Name, Kind, RegisteredAt, ReleaseHotlistDays, Sector, State, Functions, PartOfCity);
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

/// <summary>A sharing rule (data, editable by administrators): which agencies may receive a data class (ADR 0041).</summary>
internal sealed class SharingRule
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string DataClass { get; set; }
    public List<string> AllowedSectors { get; set; } = [];
    public List<string> AllowedStates { get; set; } = [];
    public List<string> DeniedFunctions { get; set; } = [];
    public string? Citation { get; set; }
    public bool Enabled { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    /// <summary>Why <paramref name="agency"/> may not receive this rule's data class, or null when it may (or the rule is disabled).</summary>
    public string? Breach(Agency agency)
    {
        if (!Enabled || (agency.PartOfCity && DataClasses.City.Contains(DataClass)))
            return null;
        string? why = null;
        if (AllowedSectors.Count > 0 && !AllowedSectors.Contains(agency.Sector))
            why = $"{DataClass} may go only to {string.Join(" or ", AllowedSectors)} agencies, and {agency.Name} is {agency.Sector}";
        else if (AllowedStates.Count > 0 && (agency.State is null || !AllowedStates.Contains(agency.State)))
            why = $"{DataClass} may go only to agencies of {string.Join(", ", AllowedStates)}, and {agency.Name} is "
                + (agency.State is null ? "of no state (federal or unknown)" : $"of {agency.State}");
        else if (DeniedFunctions.Intersect(agency.Functions).FirstOrDefault() is { } denied)
            why = $"{DataClass} may not go to {denied} agencies, and {agency.Name} is one";
        return why is null ? null : $"Sharing rule '{Name}': {why}.";
    }

    public SharingRuleDto ToDto() => new(Id, Name, DataClass, AllowedSectors, AllowedStates, DeniedFunctions, Citation, Enabled, UpdatedAt, UpdatedBy);
}

/// <summary>
/// One read by another agency (issue 14): an analyst or API client of <see cref="AgencyId"/> was shown <see cref="Items"/> items of
/// <see cref="DataClass"/> that are not its own, by a search or a person view. Written in the same transaction as the read's audit entry;
/// the public page's list of agencies that read data is computed from these rows.
/// </summary>
internal sealed class AgencyRead
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public Guid AgencyId { get; init; }
    public required string DataClass { get; init; }
    public int Items { get; init; }
    public required string Action { get; init; }
    public required string Actor { get; init; }
}
