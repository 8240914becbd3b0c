using Microsoft.Extensions.Configuration;

namespace SafeCities.Modules.Shared.Time;

/// <summary>The city's IANA time zone id for the modules' monthly figures: <c>City:TimeZone</c>, the same key and default as the pages' CityClock.</summary>
public static class CityZone
{
    public const string Default = "America/New_York";

    public static string Id(IConfiguration config) => string.IsNullOrWhiteSpace(config["City:TimeZone"]) ? Default : config["City:TimeZone"]!.Trim();
}
