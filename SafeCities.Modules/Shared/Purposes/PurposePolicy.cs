using System.Text;
using Microsoft.Extensions.Configuration;

namespace SafeCities.Modules.Shared.Purposes;

/// <summary>Configuration <c>Purposes</c>: the purposes that say nothing an auditor can check (issue 14).</summary>
public sealed class PurposeOptions
{
    /// <summary>
    /// Refused as a whole purpose (compared without case, punctuation or extra spaces): "investigation", "case", "test", "n/a", …
    /// Setting the key replaces the list.
    /// </summary>
    public string[] Vague { get; set; } =
    [
        "investigation", "investigations", "ongoing investigation", "criminal investigation", "active investigation", "case", "open case",
        "test", "testing", "n a", "na", "none", "other", "misc", "general", "routine", "routine check", "check", "inquiry", "enquiry", "lookup",
        "search", "intel", "intelligence", "police business", "law enforcement purposes", "official business", "work",
    ];
}

/// <summary>
/// The one rule every search and record view applies to its stated purpose (plate search, vehicle sightings, co-location, intelligence
/// search, person view): a purpose that is only a vague word is refused with a reason, so the audit log says which case a look-up served.
/// </summary>
internal sealed class PurposePolicy(IOptions<PurposeOptions> options)
{
    public const string VagueMessage =
        "'purpose' is too vague to be audited: name the case and the offence (e.g. 'case 2026-000123, burglary'), not just 'investigation', 'case' or 'test'.";

    private readonly HashSet<string> vague = options.Value.Vague.Select(Normalise).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="purpose"/> (any case, punctuation and spacing) is on the vague list; null or empty is left to the required rule.</summary>
    public bool IsVague(string? purpose) => !string.IsNullOrWhiteSpace(purpose) && vague.Contains(Normalise(purpose));

    private static string Normalise(string text)
    {
        var words = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
            words.Append(char.IsLetterOrDigit(c) ? c : ' ');
        return string.Join(' ', words.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}

public static class PurposeSetup
{
    public static IServiceCollection AddPurposePolicy(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<PurposeOptions>(config.GetSection("Purposes"));
        return services.AddSingleton<PurposePolicy>();
    }
}
