using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Modules.Intelligence.Domain;

internal sealed class Agency
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset RegisteredAt { get; init; }

    public AgencyDto ToDto() => new(Id, Name, Kind, RegisteredAt);
}
