namespace SafeCities.Modules.Intelligence.Domain;

/// <summary>The resolved person: one per human being, whatever agencies know them as (their <see cref="PersonIdentity"/> records).</summary>
internal sealed class Person
{
    public Guid Id { get; init; }
    public required string DisplayName { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public string? Address { get; set; }
    public string? District { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One agency's record of a person, linked to a resolved <see cref="Person"/> with the evidence for the link.</summary>
internal sealed class PersonIdentity
{
    public const string New = "new";
    public const string Auto = "auto";
    public const string Confirmed = "confirmed";
    public const string Split = "split";

    public Guid Id { get; init; }
    public Guid PersonId { get; set; }
    public Guid AgencyId { get; init; }
    public required string SourceId { get; init; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public string? MiddleName { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    /// <summary>"type:value", lower case (e.g. "ssn:123456789", "fbi:12ab").</summary>
    public List<string> Identifiers { get; set; } = [];
    public List<string> Aliases { get; set; } = [];
    public string? Address { get; set; }
    public string? District { get; set; }
    public double LinkScore { get; set; }
    public required string LinkStatus { get; set; }
    public List<string> LinkEvidence { get; set; } = [];
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string FullName => $"{FirstName} {LastName}";
}

/// <summary>A searchable name (primary or alias) of an identity; <c>phonetic</c> is a generated double-metaphone key.</summary>
internal sealed class PersonName
{
    public long Id { get; init; }
    public Guid PersonId { get; set; }
    public Guid IdentityId { get; init; }
    public Guid AgencyId { get; init; }
    /// <summary>Normalised "first last", lower case.</summary>
    public required string Name { get; init; }
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
    public bool IsAlias { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public string? Phonetic { get; init; }
}

internal sealed class Vehicle
{
    public Guid Id { get; init; }
    /// <summary>Upper case, letters and digits only.</summary>
    public required string Plate { get; init; }
    public required string Region { get; init; }
    public string? Make { get; set; }
    public string? Model { get; set; }
    public string? Colour { get; set; }
    public Guid? OwnerPersonId { get; set; }
    public Guid AgencyId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string? Description => string.Join(' ', new[] { Colour, Make, Model }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } d ? d : null;

    public static string NormalizePlate(string plate) => new(plate.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}
