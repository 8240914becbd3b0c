using SafeCities.Modules.Lighting.Domain;

namespace SafeCities.Modules.Lighting.Drivers;

/// <summary>
/// The streetlight driver: sets a light's dimming level through its segment controller (<see cref="Streetlight.ControllerId"/>)
/// or, without one, the light's own node. Real protocols (TALQ, vendor CMS APIs) are further implementations of this interface.
/// A failure is an exception; callers retry and report it.
/// </summary>
internal interface IStreetlightController
{
    Task SetLevelAsync(Streetlight light, int level, CancellationToken cancellationToken);
}

internal sealed class StreetlightControllerException(string message) : Exception(message);
