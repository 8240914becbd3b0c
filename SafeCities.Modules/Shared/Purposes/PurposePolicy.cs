using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace SafeCities.Modules.Shared.Purposes;

/// <summary>Configuration <c>Purposes</c>: what a look-up must state, what is too vague, and what needs a commander's approval (issue 14, ADR 0047).</summary>
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

    /// <summary>The agency's case-number format (a .NET regular expression, matched against the whole trimmed number).</summary>
    public string CaseNumberPattern { get; set; } = @"^\d{4}-\d{6}$";

    /// <summary>A case number in that format, shown as the field's hint and in the refusal.</summary>
    public string CaseNumberExample { get; set; } = "2026-000123";

    /// <summary>
    /// The offence categories a look-up may name (NIBRS offence groups, plus missing person): the report counts searches by these.
    /// Setting the key replaces the list.
    /// </summary>
    public string[] Offences { get; set; } =
    [
        "homicide", "kidnapping/abduction", "sex offense", "robbery", "assault", "arson", "extortion/blackmail", "burglary", "larceny/theft",
        "motor vehicle theft", "fraud", "counterfeiting/forgery", "embezzlement", "stolen property", "vandalism", "drug/narcotic offense",
        "weapon law violation", "human trafficking", "missing person", "other",
    ];

    /// <summary>
    /// Terms that make a look-up need a commander's approval first when they appear in its terms or its stated purpose (as whole words, a plural
    /// "s"/"es" allowed). Setting the key replaces the list.
    /// </summary>
    public string[] Sensitive { get; set; } =
    [
        "protest", "protester", "demonstration", "demonstrator", "rally", "vigil", "religion", "religious", "church", "mosque", "synagogue", "temple",
        "immigration", "immigration status", "undocumented", "deportation", "asylum", "abortion", "reproductive health", "planned parenthood",
        "clinic", "union", "picket", "political", "journalist", "gender identity", "sexual orientation",
    ];

    /// <summary>How long an approval may be used after the commander's decision (it is used once).</summary>
    public int ApprovalValidMinutes { get; set; } = 60;
}

/// <summary>
/// The one rule every search and record view applies to what it states (plate search, vehicle sightings, co-location, intelligence search,
/// person view): a case number in the agency's format, an offence from the list, an optional purpose that is not only a vague word; and what
/// makes a look-up need a commander's approval first (no case number, or a sensitive term). The validators call <see cref="Include"/> (through
/// <see cref="StatedPurposeValidator"/>) and <see cref="PurposeGateBehavior{TMessage,TResponse}"/> calls <see cref="Screen"/>.
/// </summary>
internal sealed class PurposePolicy
{
    public const string VagueMessage =
        "'purpose' is too vague to be audited: say what in the case this look-up is for, not just 'investigation', 'case' or 'test'.";

    /// <summary>The actor of look-ups the platform makes by itself (automatic co-location for an incident): no person to ask, none to approve.</summary>
    public const string SystemActor = "system";

    private readonly HashSet<string> vague;
    private readonly Regex casePattern;
    private readonly Dictionary<string, string> offences;
    private readonly List<(string Term, string[] Words)> sensitive;

    public PurposePolicy(IOptions<PurposeOptions> options)
    {
        Options = options.Value;
        vague = Options.Vague.Select(Normalise).ToHashSet(StringComparer.Ordinal);
        casePattern = new Regex(Options.CaseNumberPattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        offences = Options.Offences.GroupBy(Normalise).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        sensitive = Options.Sensitive.Select(t => (t, Normalise(t).Split(' ', StringSplitOptions.RemoveEmptyEntries))).Where(t => t.Item2.Length > 0).ToList();
    }

    public PurposeOptions Options { get; }

    public string CaseNumberMessage => $"'caseNumber' must be a case number in the agency's format, e.g. {Options.CaseNumberExample}.";

    public string OffenceRequiredMessage => $"'offence' is required: the offence category this look-up serves, one of: {string.Join(", ", Options.Offences)}.";

    public string OffenceMessage => $"'offence' must be one of: {string.Join(", ", Options.Offences)}.";

    /// <summary>True when <paramref name="purpose"/> (any case, punctuation and spacing) is on the vague list; null or empty is left to the required rule.</summary>
    public bool IsVague(string? purpose) => !string.IsNullOrWhiteSpace(purpose) && vague.Contains(Normalise(purpose));

    public bool IsCaseNumber(string? caseNumber) => caseNumber is not null && casePattern.IsMatch(caseNumber.Trim());

    /// <summary>The offence as the list spells it, or null when it is not on the list.</summary>
    public string? Offence(string? offence) => string.IsNullOrWhiteSpace(offence) ? null : offences.GetValueOrDefault(Normalise(offence));

    /// <summary>
    /// Why this look-up needs a commander's approval before it runs: no case number, and each sensitive term found in its terms or its stated
    /// purpose. Empty: it may run. The platform's own look-ups (<see cref="SystemActor"/>) never wait.
    /// </summary>
    public IReadOnlyList<string> Screen(IStatedPurpose p, JsonObject terms)
    {
        if (p.Actor == SystemActor)
            return [];
        var reasons = new List<string>();
        if (string.IsNullOrWhiteSpace(p.CaseNumber))
            reasons.Add("no case number");
        var words = Normalise(string.Join(' ', Strings(terms).Append(p.Purpose ?? ""))).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (term, termWords) in sensitive)
            if (Contains(words, termWords))
                reasons.Add($"sensitive term '{term}'");
        return reasons;
    }

    /// <summary>
    /// The look-up's terms as a JSON object: the message without who asks (actor, viewer) and without what it states (case, offence, purpose,
    /// approval), nulls left out. What a commander reads, and, with the statement, what an approval covers.
    /// </summary>
    public static JsonObject Terms(IStatedPurpose p)
    {
        var node = JsonSerializer.SerializeToNode(p, p.GetType(), JsonSerializerOptions.Web)!.AsObject();
        foreach (var key in new[] { "actor", "viewer", "viewerAgencyId", "caseNumber", "offence", "purpose", "approvalId", "lookupKind" })
            node.Remove(key);
        foreach (var key in node.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
            node.Remove(key);
        return node;
    }

    /// <summary>
    /// SHA-256 (hex) of the look-up's kind, its terms and its statement (case, offence, purpose): an approval is for this exact look-up only.
    /// </summary>
    public static string Fingerprint(IStatedPurpose p, JsonObject terms)
    {
        var text = string.Join('\n', p.LookupKind, terms.ToJsonString(), p.CaseNumber?.Trim() ?? "", p.Offence?.Trim().ToLowerInvariant() ?? "",
            p.Purpose?.Trim() ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Strings(kv.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static bool Contains(string[] words, string[] term)
    {
        for (var i = 0; i + term.Length <= words.Length; i++)
        {
            var match = true;
            for (var j = 0; j < term.Length && match; j++)
                match = words[i + j] == term[j] || words[i + j] == term[j] + "s" || words[i + j] == term[j] + "es";
            if (match)
                return true;
        }
        return false;
    }

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
