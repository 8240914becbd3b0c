using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Data;
using SafeCities.Modules.Video.Drivers;
using SafeCities.Modules.Video.Evidence;
using SafeCities.Modules.Video.Features;
using SafeCities.Modules.Video.Streaming;

namespace SafeCities.Modules.Video;

public static class VideoModule
{
    public static IServiceCollection AddVideoModule(this IServiceCollection services, IConfiguration config)
    {
        services.AddModuleDbContext<VideoDbContext>(VideoDbContext.Schema);
        services.AddOutbox<VideoDbContext>(VideoDbContext.Schema);
        services.AddDeviceKinds<CameraDeviceKindHandler>(VideoDeviceKinds.Camera);
        services.Configure<VideoOptions>(config.GetSection(VideoOptions.Section));
        // The simulated driver is the default; a real one (ONVIF, a VMS API) replaces this registration.
        services.AddSingleton<ICameraDriver, SimulatedCameraDriver>();
        services.AddScoped<CameraCommander>();
        services.Configure<LiveStreamOptions>(config.GetSection(LiveStreamOptions.Section));
        services.AddSingleton<IStreamTranscoder, FfmpegTranscoder>();
        services.AddSingleton<LiveStreamRelay>();
        services.AddSingleton<CameraSnapshots>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveStreamRelay>());
        services.Configure<EvidenceOptions>(config.GetSection(EvidenceOptions.Section));
        services.AddSingleton<ClipRecorder>();
        // Recording systems in order of preference: recorders first (a VMS export driver goes here), the live stream last (ADR 0024).
        if (config.GetValue<bool>($"{EvidenceOptions.Section}:{nameof(EvidenceOptions.SimulatedRecorder)}"))
            services.AddSingleton<IRecordingSystem, SimulatedRecordingSystem>();
        services.AddSingleton<IRecordingSystem, LiveStreamRecordingSystem>();
        services.AddSingleton<RecordingSystems>();
        services.AddSingleton<AutomaticClips>();
        services.AddHostedService(sp => sp.GetRequiredService<AutomaticClips>());
        return services;
    }

    public static IEndpointRouteBuilder MapVideoModule(this IEndpointRouteBuilder app)
    {
        VideoEndpoints.Map(app);
        LiveStreamEndpoints.Map(app);
        EvidenceEndpoints.Map(app);
        return app;
    }
}
