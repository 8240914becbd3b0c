namespace SafeCities.Modules.Platform.ApiKeys;

/// <summary>A machine credential: an API client with a role, or one device. Only the SHA-256 of the key is stored.</summary>
internal sealed class ApiKey
{
    public const string Client = "client";
    public const string Device = "device";

    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string Kind { get; init; }
    public string? Role { get; init; }
    public Guid? DeviceId { get; init; }
    public string? DeviceKind { get; init; }
    /// <summary>The partner agency this client belongs to (its records feed, or the agency whose sharing agreements apply to it).</summary>
    public Guid? AgencyId { get; init; }
    public required byte[] Hash { get; init; }
    /// <summary>The first characters of the key, so an administrator can tell keys apart.</summary>
    public required string Hint { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}
