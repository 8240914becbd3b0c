namespace SafeCities.Modules.Plates.Domain;

/// <summary>
/// One plate read (high volume). Written only by <c>IngestPlateReads</c> (binary COPY); EF maps it for queries and the schema.
/// The reader's registered position at ingestion is the read's position. The table is partitioned by UTC day of
/// <see cref="CapturedAt"/>, so every unique key includes it: the key is (<see cref="Id"/>, <see cref="CapturedAt"/>) and
/// idempotency is (<see cref="ReaderId"/>, <see cref="ReadId"/>, <see cref="CapturedAt"/>) — a re-sent read carries the same
/// capture time. No foreign keys (incident links reference <see cref="Id"/> without one).
/// </summary>
internal sealed class PlateRead
{
    public Guid Id { get; init; }
    public Guid ReaderId { get; init; }
    /// <summary>The reader's own id for the read; unique per reader.</summary>
    public required string ReadId { get; init; }
    /// <summary>Normalised: upper case, no spaces or hyphens (<see cref="PlateNumber.Normalize"/>).</summary>
    public required string Plate { get; init; }
    public required string Region { get; init; }
    public DateTimeOffset CapturedAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public double Confidence { get; init; }
    public string? Make { get; init; }
    public string? Model { get; init; }
    public string? Color { get; init; }
    public string? ImageRef { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
}

/// <summary>Licence-plate text as readers send it ("abc-1234", "ABC 1234") and as it is stored and searched ("ABC1234").</summary>
internal static class PlateNumber
{
    public const int MaxLength = 10;

    /// <summary>Upper case (invariant), spaces and hyphens removed. Null stays null.</summary>
    public static string? Normalize(string? plate)
    {
        if (plate is null)
            return null;
        var chars = new char[plate.Length];
        var n = 0;
        foreach (var c in plate)
            if (c is not (' ' or '-'))
                chars[n++] = char.ToUpperInvariant(c);
        return new string(chars, 0, n);
    }

    /// <summary>1–10 characters A–Z or 0–9 once normalised.</summary>
    public static bool IsValid(string? plate) =>
        Normalize(plate) is { Length: > 0 and <= MaxLength } p && p.All(char.IsAsciiLetterOrDigit);
}
