namespace SafeCities.Modules.Platform.Contracts;

/// <summary>An API client's or a device's key as administrators see it: never the key, only its first characters (<see cref="Hint"/>).</summary>
public sealed record ApiKeyDto(Guid Id, string Name, string Kind, string? Role, Guid? DeviceId, string? DeviceKind, string Hint,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, Guid? AgencyId = null);

/// <summary>The API clients (machines acting with a person's role), newest first.</summary>
public sealed record ListApiClientsQuery : IQuery<IReadOnlyList<ApiKeyDto>>;

/// <summary>Issues an API client key with one of the people's roles; answers the key, shown once (only its hash is kept).</summary>
public sealed record CreateApiClientCommand(string Name, string Role, string Actor) : ICommand<string>;

/// <summary>Revokes a key (false: no such unrevoked key).</summary>
public sealed record RevokeApiKeyCommand(Guid Id) : ICommand<bool>;

/// <summary>The header API clients and devices authenticate with.</summary>
public static class ApiKeyHeader
{
    public const string Name = "X-Api-Key";
}

/// <summary>
/// A device's credentials given outside HTTP (an MQTT connection: the device id as user name, its key as password): the device's kind when
/// the key is a current (unrevoked) key of that very device, else null. Cached like every key check.
/// </summary>
public sealed record AuthenticateDeviceQuery(Guid DeviceId, string Key) : IQuery<string?>;
