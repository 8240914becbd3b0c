using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.ApiKeys;

internal sealed class ListApiClientsQueryHandler(ApiKeyService keys) : IQueryHandler<ListApiClientsQuery, IReadOnlyList<ApiKeyDto>>
{
    public async ValueTask<IReadOnlyList<ApiKeyDto>> Handle(ListApiClientsQuery query, CancellationToken cancellationToken) =>
        await keys.ListAsync(ApiKey.Client, cancellationToken);
}

internal sealed class CreateApiClientCommandHandler(ApiKeyService keys) : ICommandHandler<CreateApiClientCommand, string>
{
    public async ValueTask<string> Handle(CreateApiClientCommand command, CancellationToken cancellationToken) =>
        await keys.CreateClientAsync(command.Name, command.Role, command.Actor, cancellationToken);
}

internal sealed class RevokeApiKeyCommandHandler(ApiKeyService keys) : ICommandHandler<RevokeApiKeyCommand, bool>
{
    public async ValueTask<bool> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken) => await keys.RevokeAsync(command.Id, cancellationToken);
}

internal sealed class AuthenticateDeviceQueryHandler(ApiKeyAuthenticator keys) : IQueryHandler<AuthenticateDeviceQuery, string?>
{
    public async ValueTask<string?> Handle(AuthenticateDeviceQuery query, CancellationToken cancellationToken)
    {
        var principal = await keys.AuthenticateAsync(query.Key, "device", cancellationToken);
        return principal?.FindFirst(Policies.DeviceIdClaim)?.Value == query.DeviceId.ToString()
            ? principal.FindFirst(Policies.DeviceKindClaim)?.Value
            : null;
    }
}
