namespace SafeCities.Modules.Lighting.Contracts;

/// <summary>The device kind Lighting owns (declared in <see cref="LightingModule"/>) and the policy its keys are admitted by.</summary>
public static class LightingDeviceKinds
{
    public const string Streetlight = "streetlight";

    public const string StreetlightDevicesPolicy = "StreetlightDevices";
}
