namespace SafeCities.Modules.Plates.Contracts;

/// <summary>The device kind Plates owns (declared in <see cref="PlatesModule"/>) and the policy its keys are admitted by.</summary>
public static class PlatesDeviceKinds
{
    public const string PlateReader = "plate-reader";

    public const string PlateReaderDevicesPolicy = "PlateReaderDevices";
}
