using System.Globalization;
using System.Text.RegularExpressions;

namespace SafeCities.Modules.Sensors.SensorThings;

/// <summary>One comparison of a <c>$filter</c>: <c>phenomenonTime</c> or <c>result</c>, an operator, a value.</summary>
internal sealed record SensorThingsCondition(string Property, string Operator, DateTimeOffset? Time, double? Number);

/// <summary>
/// The query options this server understands (OGC SensorThings API 1.1, §9.3): <c>$top</c> (default 100, at most 1,000), <c>$skip</c>,
/// <c>$count</c>, <c>$orderby</c> on <c>phenomenonTime</c> (asc or desc), and a <c>$filter</c> that is a conjunction (<c>and</c>) of
/// comparisons (<c>eq ne gt ge lt le</c>) of <c>phenomenonTime</c> with an ISO 8601 instant or of <c>result</c> with a number — what a client
/// needs for "the latest observations of a datastream" and "the observations in a time range". Anything else is refused with the reason
/// (a 400), never silently ignored.
/// </summary>
internal sealed partial record SensorThingsQuery(int Top, int Skip, bool Count, bool Descending, IReadOnlyList<SensorThingsCondition> Filter)
{
    public const int DefaultTop = 100, MaxTop = 1000, MaxSkip = 1_000_000;

    private static readonly string[] Known = ["$top", "$skip", "$count", "$orderby", "$filter"];

    /// <summary>Parses the options; <paramref name="error"/> says what is wrong. <paramref name="observations"/>: whether $orderby/$filter apply.</summary>
    public static SensorThingsQuery? Parse(IReadOnlyDictionary<string, string?> options, bool observations, out string? error)
    {
        error = null;
        if (options.Keys.FirstOrDefault(k => k.StartsWith('$') && !Known.Contains(k, StringComparer.Ordinal)) is { } unknown)
            return Fail($"The query option {unknown} is not supported; this server supports {string.Join(", ", Known)}.", out error);
        var top = DefaultTop;
        if (options.GetValueOrDefault("$top") is { } t && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top > MaxTop))
            return Fail($"$top must be a whole number from 0 to {MaxTop}.", out error);
        var skip = 0;
        if (options.GetValueOrDefault("$skip") is { } s && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip > MaxSkip))
            return Fail($"$skip must be a whole number from 0 to {MaxSkip}.", out error);
        var count = false;
        if (options.GetValueOrDefault("$count") is { } c && !bool.TryParse(c, out count))
            return Fail("$count must be true or false.", out error);
        var descending = false;
        if (options.GetValueOrDefault("$orderby") is { } order)
        {
            var m = OrderBy().Match(order.Trim());
            if (!observations || !m.Success)
                return Fail("$orderby supports phenomenonTime (asc or desc) on Observations only.", out error);
            descending = m.Groups[1].Value == "desc";
        }
        var filter = new List<SensorThingsCondition>();
        if (options.GetValueOrDefault("$filter") is { } text)
        {
            if (!observations)
                return Fail("$filter is supported on Observations only.", out error);
            foreach (var part in And().Split(text.Trim()))
            {
                var m = Comparison().Match(part.Trim());
                if (!m.Success)
                    return Fail($"'{Shorten(part)}' is not a comparison this server understands (phenomenonTime or result, eq ne gt ge lt le, a value; joined by and).", out error);
                var (property, op, value) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
                if (property == "phenomenonTime")
                {
                    if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) || at.Year is < 1900 or > 2200)
                        return Fail($"'{Shorten(value)}' is not an ISO 8601 instant.", out error);
                    filter.Add(new SensorThingsCondition(property, op, at, null));
                }
                else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                    filter.Add(new SensorThingsCondition(property, op, null, number));
                else
                    return Fail($"'{Shorten(value)}' is not a number.", out error);
            }
        }
        return new SensorThingsQuery(top, skip, count, descending, filter);
    }

    /// <summary>The SQL operator of a SensorThings comparison.</summary>
    public static string Sql(string op) => op switch
    {
        "eq" => "=", "ne" => "<>", "gt" => ">", "ge" => ">=", "lt" => "<", _ => "<=",
    };

    private static SensorThingsQuery? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }

    private static string Shorten(string s) => s.Length > 60 ? s[..60] + "…" : s;

    [GeneratedRegex(@"^phenomenonTime(?:\s+(asc|desc))?$")]
    private static partial Regex OrderBy();

    [GeneratedRegex(@"\s+and\s+")]
    private static partial Regex And();

    [GeneratedRegex(@"^(phenomenonTime|result)\s+(eq|ne|gt|ge|lt|le)\s+'?([^'\s]+)'?$")]
    private static partial Regex Comparison();
}
