using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Intelligence;

public static class IntelligenceModule
{
    public static IServiceCollection AddIntelligenceModule(this IServiceCollection services, IConfiguration config) =>
        services.AddModuleDbContext<IntelligenceDbContext>(IntelligenceDbContext.Schema);

    public static IEndpointRouteBuilder MapIntelligenceModule(this IEndpointRouteBuilder app) => app;
}
