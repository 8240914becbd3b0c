using Mediator;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Lighting.Contracts;

/// <param name="NormalLevel">Dimming level (percent) the light returns to after an incident; default 40.</param>
public sealed record StreetlightSettings(string? Circuit = null, string? ControllerId = null, int? NormalLevel = null);

public sealed record RegisterStreetlightCommand(DeviceRegistration Device, StreetlightSettings Settings) : ICommand<DeviceDto>;

public sealed record ListStreetlightsQuery : IQuery<IReadOnlyList<DeviceDto>>;
