namespace SafeCities.Web.Platform;

/// <summary>
/// The start page is the incident board, which only command staff may see. Everyone else who opens <c>/</c> (after signing in, from a
/// bookmark, from the brand link) is sent to the page of their role (<see cref="Roles.StartPageFor"/>, the same as after signing in)
/// instead of "Access denied": oversight to its overview, judges and probation officers to the intelligence search.
/// </summary>
internal static class RoleHome
{
    public static string? HomeOf(System.Security.Claims.ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
            return null;
        var roles = Roles.People.Where(user.IsInRole).ToList();
        if (roles.Count == 0)
            return null;
        var home = Roles.StartPageFor(roles);
        return home == "/" ? null : home;
    }

    public static WebApplication UseRoleHome(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/" && HomeOf(context.User) is { } home)
            {
                context.Response.Redirect(home);
                return;
            }
            await next(context);
        });
        return app;
    }
}
