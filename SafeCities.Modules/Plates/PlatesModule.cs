using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Plates;

public static class PlatesModule
{
    public static IServiceCollection AddPlatesModule(this IServiceCollection services, IConfiguration config) =>
        services.AddModuleDbContext<PlatesDbContext>(PlatesDbContext.Schema);

    public static IEndpointRouteBuilder MapPlatesModule(this IEndpointRouteBuilder app) => app;
}
