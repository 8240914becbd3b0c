using System.Globalization;
using System.Text;

namespace SafeCities.Modules.Intelligence.Resolution;

/// <summary>The facts about one agency's person record that entity resolution compares.</summary>
internal sealed record PersonFacts(string FirstName, string LastName, IReadOnlyList<string> Aliases, DateOnly? DateOfBirth, IReadOnlyList<string> Identifiers,
    string? Address = null);

internal sealed record MatchResult(double Score, IReadOnlyList<string> Evidence, bool IsVeto = false, bool IsSharedIdentifier = false)
{
    public bool IsLink => Score >= PersonMatcher.LinkThreshold;
}

/// <summary>
/// Decides whether two agencies' person records are the same human being, and says why. A shared identifier links outright;
/// otherwise 60 % name (Jaro-Winkler over first and last name, each at least 0.8 or the name scores at most 0.6; aliases and
/// first/last swaps included) and 40 % date of birth
/// (exact 1, day/month transposed 0.85, one digit off 0.7, same year 0.3, unknown 0.5). Link at 0.85 or more.
/// Two vetoes come first (ADR 0053): a different value of the same person-unique identifier (<see cref="UniqueIdentifierTypes"/>: two
/// people with one name and birth date, told apart by their SSN or FBI number) and different generational suffixes (Jr / Sr, II / III: father
/// and son, whose birth dates can be one digit apart) each cap the score below the threshold; with a suffix on one side only, a year of
/// birth that differs counts as different. Suffixes are not part of the compared last name.
/// </summary>
internal static class PersonMatcher
{
    public const double LinkThreshold = 0.85;

    /// <summary>Identifier types that name one human being everywhere: the same type with another value is another person.</summary>
    public static readonly IReadOnlySet<string> UniqueIdentifierTypes = new HashSet<string>(StringComparer.Ordinal)
        { "ssn", "fbi", "stateid", "state", "passport", "dl", "driverslicense", "driverlicense" };

    private static readonly string[] Suffixes = ["jr", "sr", "ii", "iii", "iv", "v", "2nd", "3rd"];

    public static MatchResult Compare(PersonFacts a, PersonFacts b)
    {
        var evidence = new List<string>();
        var shared = a.Identifiers.Intersect(b.Identifiers, StringComparer.Ordinal).ToList();
        if (shared.Count > 0)
        {
            evidence.Add($"same identifier {string.Join(", ", shared)}");
            return new MatchResult(1.0, evidence, IsSharedIdentifier: true);
        }
        var conflict = ConflictingIdentifier(a.Identifiers, b.Identifiers);
        if (conflict is not null)
            return new MatchResult(0.0, [$"different {conflict}"], IsVeto: true);
        var (sa, sb) = (Suffix(a.LastName) ?? Suffix(a.FirstName), Suffix(b.LastName) ?? Suffix(b.FirstName));
        if (sa is not null && sb is not null && sa != sb)
            return new MatchResult(0.0, [$"different suffix ({sa} / {sb})"], IsVeto: true);
        var (name, how) = NameScore(a, b);
        var (dob, dobHow) = DateScore(a.DateOfBirth, b.DateOfBirth);
        // a generational suffix on either side says a namesake of another generation exists: a year of birth that differs (one digit
        // apart, transposed) is then another person's, not a typing slip
        if ((sa ?? sb) is not null && a.DateOfBirth is { } ya && b.DateOfBirth is { } yb && ya.Year != yb.Year && dob > 0)
            (dob, dobHow) = (0.0, $"different year of birth with a generational suffix ({sa ?? sb})");
        evidence.Add($"{how} ({name:0.00})");
        evidence.Add($"{dobHow} ({dob:0.00})");
        return new MatchResult(Math.Round(0.6 * name + 0.4 * dob, 3), evidence);
    }

    private static (double, string) NameScore(PersonFacts a, PersonFacts b)
    {
        var best = (Score: 0.0, How: "names differ");
        foreach (var (af, al, aAlias) in Names(a))
            foreach (var (bf, bl, bAlias) in Names(b))
            {
                var straight = Pair(JaroWinkler(af, bf), JaroWinkler(al, bl));
                var swapped = Pair(JaroWinkler(af, bl), JaroWinkler(al, bf));
                var score = Math.Max(straight, swapped * 0.95);
                if (score > best.Score)
                {
                    var kind = score >= 0.999 ? "same name" : swapped * 0.95 > straight ? "first/last name swapped" : "similar name";
                    best = (score, aAlias || bAlias ? $"{kind} via alias '{(aAlias ? $"{af} {al}" : $"{bf} {bl}")}'" : $"{kind} '{af} {al}' ~ '{bf} {bl}'");
                }
            }
        return best;
    }

    /// <summary>
    /// Both parts must look alike: one matching part and one different (Antwan Parker / Antwan Nader) is capped at 0.6, so a shared date
    /// of birth alone cannot link them (measured in the search benchmark: 27 of 500 same-surname, same-birth-year strangers linked without it).
    /// </summary>
    private static double Pair(double first, double last) =>
        Math.Min(first, last) >= MinPartSimilarity ? 0.5 * first + 0.5 * last : Math.Min(0.5 * first + 0.5 * last, 0.6);

    private const double MinPartSimilarity = 0.8;

    private static string? ConflictingIdentifier(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        foreach (var x in a)
        {
            var colon = x.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !UniqueIdentifierTypes.Contains(x[..colon]))
                continue;
            foreach (var y in b)
                if (y.Length > colon && y[colon] == ':' && string.CompareOrdinal(x, 0, y, 0, colon) == 0 && x != y)
                    return x[..colon];
        }
        return null;
    }

    /// <summary>The generational suffix at the end of a name ("Smith Jr." → "jr"), or null.</summary>
    public static string? Suffix(string name)
    {
        var n = Normalize(name);
        var space = n.LastIndexOf(' ');
        return space > 0 && Array.IndexOf(Suffixes, n[(space + 1)..]) >= 0 ? n[(space + 1)..] : null;
    }

    /// <summary>The normalised name without its generational suffix ("Smith Jr." → "smith").</summary>
    public static string NormalizeName(string name)
    {
        var n = Normalize(name);
        var space = n.LastIndexOf(' ');
        return space > 0 && Array.IndexOf(Suffixes, n[(space + 1)..]) >= 0 ? n[..space] : n;
    }

    /// <summary>The (first, last) name pairs of a person record that resolution compares and blocks on: the name and each alias of two parts or
    /// more (first and last word; a one-word alias takes the record's last name), normalised, suffixes dropped, without repeats.</summary>
    public static List<(string First, string Last, bool Alias)> NamePairs(string firstName, string lastName, IEnumerable<string> aliases)
    {
        var last = NormalizeName(lastName);
        var list = new List<(string, string, bool)> { (NormalizeName(firstName), last, false) };
        foreach (var alias in aliases)
        {
            var parts = NormalizeName(alias).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2)
                list.Add((parts[0], parts[^1], true));
            else if (parts.Length == 1)
                list.Add((parts[0], last, true));
        }
        return [.. list.DistinctBy(n => (n.Item1, n.Item2))];
    }

    private static IEnumerable<(string First, string Last, bool Alias)> Names(PersonFacts p)
    {
        yield return (NormalizeName(p.FirstName), NormalizeName(p.LastName), false);
        foreach (var alias in p.Aliases)
        {
            var parts = NormalizeName(alias).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2)
                yield return (parts[0], parts[^1], true);
        }
    }

    private static (double, string) DateScore(DateOnly? a, DateOnly? b)
    {
        if (a is null || b is null)
            return (0.5, "date of birth unknown");
        var (x, y) = (a.Value, b.Value);
        if (x == y)
            return (1.0, "same date of birth");
        if (x.Year == y.Year && x.Month == y.Day && x.Day == y.Month)
            return (0.85, "date of birth with day and month transposed");
        var dx = x.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var dy = y.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var differing = dx.Zip(dy).Count(p => p.First != p.Second);
        if (differing == 1)
            return (0.7, "date of birth one digit apart");
        var transposedDigits = Enumerable.Range(0, dx.Length - 1).Any(i => dx[i] == dy[i + 1] && dx[i + 1] == dy[i] && dx[i] != dx[i + 1]
            && dx.Remove(i, 2) == dy.Remove(i, 2));
        if (transposedDigits)
            return (0.7, "date of birth with two digits transposed");
        return x.Year == y.Year ? (0.3, "same year of birth") : (0.0, "different date of birth");
    }

    public static string Normalize(string s)
    {
        var decomposed = s.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            sb.Append(char.IsLetterOrDigit(c) ? c : c is ' ' or '-' ? ' ' : '\0');
        }
        return string.Join(' ', sb.ToString().Replace("\0", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static double JaroWinkler(string s, string t)
    {
        if (s.Length == 0 && t.Length == 0)
            return 1;
        if (s.Length == 0 || t.Length == 0)
            return 0;
        var range = Math.Max(0, Math.Max(s.Length, t.Length) / 2 - 1);
        var sMatched = new bool[s.Length];
        var tMatched = new bool[t.Length];
        var matches = 0;
        for (var i = 0; i < s.Length; i++)
        {
            for (var j = Math.Max(0, i - range); j < Math.Min(t.Length, i + range + 1); j++)
            {
                if (tMatched[j] || s[i] != t[j])
                    continue;
                sMatched[i] = tMatched[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0)
            return 0;
        var transpositions = 0;
        for (int i = 0, k = 0; i < s.Length; i++)
        {
            if (!sMatched[i])
                continue;
            while (!tMatched[k])
                k++;
            if (s[i] != t[k])
                transpositions++;
            k++;
        }
        double m = matches;
        var jaro = (m / s.Length + m / t.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(s.Length, t.Length)) && s[prefix] == t[prefix])
            prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
