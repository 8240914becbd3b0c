using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;

namespace SafeCities.Modules.Shared.Input;

/// <summary>
/// Input hygiene at the edge, registered once for every module and page: <see cref="AddInputHygiene"/> puts <see cref="InputRules"/> into
/// the JSON options every endpoint binds its body with (and <c>ReadFromJsonAsync</c> uses), <see cref="UseInputHygiene"/> checks headers,
/// query strings, route values and forms. The host maps <see cref="InputRefusedException"/> to a 400 ProblemDetails naming each field.
/// </summary>
public static class InputHygieneSetup
{
    public static IServiceCollection AddInputHygiene(this IServiceCollection services) =>
        services.Configure<JsonOptions>(o => InputHygieneJson.Apply(o.SerializerOptions));

    /// <summary>After routing (it reads the endpoint's parameter types) and after authorisation (an anonymous caller cannot make it read a form).</summary>
    public static IApplicationBuilder UseInputHygiene(this IApplicationBuilder app) => app.UseMiddleware<InputHygieneMiddleware>();
}
