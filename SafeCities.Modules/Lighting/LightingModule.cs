using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Lighting;

public static class LightingModule
{
    public static IServiceCollection AddLightingModule(this IServiceCollection services, IConfiguration config) =>
        services.AddModuleDbContext<LightingDbContext>(LightingDbContext.Schema);

    public static IEndpointRouteBuilder MapLightingModule(this IEndpointRouteBuilder app) => app;
}
