using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Video.Data;

namespace SafeCities.Modules.Video;

public static class VideoModule
{
    public static IServiceCollection AddVideoModule(this IServiceCollection services, IConfiguration config) =>
        services.AddModuleDbContext<VideoDbContext>(VideoDbContext.Schema);

    public static IEndpointRouteBuilder MapVideoModule(this IEndpointRouteBuilder app) => app;
}
