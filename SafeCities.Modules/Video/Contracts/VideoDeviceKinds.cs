namespace SafeCities.Modules.Video.Contracts;

/// <summary>The device kind Video owns (declared in <see cref="VideoModule"/>). Cameras send nothing to the API, so no device policy.</summary>
public static class VideoDeviceKinds
{
    public const string Camera = "camera";
}
