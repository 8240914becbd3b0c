namespace SafeCities.Web.Platform.Clock;

internal static class CityClockSetup
{
    /// <summary>The city's clock from <c>City:TimeZone</c>; an unknown zone stops the start.</summary>
    public static WebApplicationBuilder AddCityClock(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new CityClock(builder.Configuration["City:TimeZone"]));
        return builder;
    }
}
