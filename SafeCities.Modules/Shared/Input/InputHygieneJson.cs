using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SafeCities.Modules.Shared.Csv;

namespace SafeCities.Modules.Shared.Input;

/// <summary>
/// <see cref="InputRules"/> inside System.Text.Json, as a contract modifier (converters would blank the OpenAPI schema of every string): as
/// soon as an object of a body has been read, its text, dates, floating-point numbers and free-form JSON are checked, also inside its arrays
/// and dictionaries (keys too), and a null element of an array or dictionary is refused. A refusal ends deserialisation, so nothing is bound
/// and nothing can be written; the exception's path names the field. Text System.Text.Json cannot read at all (an unpaired surrogate, bytes
/// that are not UTF-8) fails inside System.Text.Json with the path of the field, which the host reports the same way.
/// </summary>
internal static class InputHygieneJson
{
    public static void Apply(JsonSerializerOptions options) =>
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Modify);

    private static void Modify(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
            return;
        // Built once per type: nothing is allocated while a valid body is checked (the path is only put together for a refusal).
        var checks = info.Properties.Where(p => p.Get is not null && Checked(p.PropertyType))
            .Select(p => (Step: $".{p.Name}", Get: p.Get!, Lines: IsCsvLines(p))).ToArray();
        if (checks.Length == 0)
            return;
        var next = info.OnDeserialized;
        info.OnDeserialized = value =>
        {
            foreach (var (step, get, lines) in checks)
                if (get(value) is { } member && Refusal(member, lines) is var (at, why))
                    throw new InputRefusedException(why, step + at);
            next?.Invoke(value);
        };
    }

    /// <summary>
    /// Where inside a member's value (relative path, "" for the value itself) it is refused and why, or null. Objects inside it have been
    /// checked by their own callback already (System.Text.Json finishes them first); only the null among them is refused here.
    /// <paramref name="csvLines"/>: text is left to <see cref="CsvLine.Split"/>.
    /// </summary>
    private static (string At, string Why)? Refusal(object value, bool csvLines = false)
    {
        var why = value switch
        {
            string text => csvLines ? null : InputRules.TextRefusal(text),
            DateTimeOffset date => InputRules.DateRefusal(date.Year),
            DateTime date => InputRules.DateRefusal(date.Year),
            DateOnly date => InputRules.DateRefusal(date.Year),
            double number => InputRules.NumberRefusal(number),
            float number => InputRules.NumberRefusal(number),
            _ => null,
        };
        if (why is not null)
            return ("", why);
        switch (value)
        {
            case string:
                return null;
            case JsonElement element:
                return Walk(element, "");
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is string key && InputRules.TextRefusal(key, TextKind.Line) is { } refused)
                        return ($".{key}", $"is a key that {refused}");
                    if (entry.Value is null)
                        return ($".{entry.Key}", "is null; a value in this object may not be null.");
                    if (Refusal(entry.Value, csvLines) is var (at, inner))
                        return ($".{entry.Key}{at}", inner);
                }
                return null;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                {
                    if (item is null)
                        return ($"[{i}]", "is null; an array may not hold null.");
                    if (Refusal(item, csvLines) is var (at, inner))
                        return ($"[{i}]{at}", inner);
                    i++;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>Free-form JSON (a device's settings): text, names and numbers as above, and no null in an array.</summary>
    private static (string At, string Why)? Walk(JsonElement value, string at)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (!Readable(() => property.Name, out var name))
                        return (at, NotUnicode);
                    var here = $"{at}.{name}";
                    if (InputRules.TextRefusal(name, TextKind.Line) is { } why)
                        return (here, $"is a key that {why}");
                    if (Walk(property.Value, here) is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var here = $"{at}[{i++}]";
                    if (item.ValueKind == JsonValueKind.Null)
                        return (here, "is null; an array may not hold null.");
                    if (Walk(item, here) is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.String:
                return !Readable(value.GetString, out var text) ? (at, NotUnicode) : InputRules.TextRefusal(text) is { } refused ? (at, refused) : null;
            case JsonValueKind.Number:
                return value.TryGetDouble(out var number) && double.IsFinite(number) ? null : (at, "is not a finite number.");
            default:
                return null;
        }
    }

    private const string NotUnicode = "is not valid Unicode text (it holds an unpaired surrogate).";

    /// <summary>A JSON element's text, unless it escapes an unpaired surrogate (which .NET cannot hold as text).</summary>
    private static bool Readable(Func<string?> read, out string text)
    {
        try
        {
            text = read() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>A member <see cref="Refusal"/> looks at: text, dates, numbers, free-form JSON and every array or dictionary (for their nulls).</summary>
    private static bool Checked(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(DateOnly) || t == typeof(double)
            || t == typeof(float) || t == typeof(JsonElement) || t == typeof(object) || typeof(IEnumerable).IsAssignableFrom(t);
    }

    private static bool IsCsvLines(JsonPropertyInfo property) =>
        property.AttributeProvider is ICustomAttributeProvider provider && provider.IsDefined(typeof(CsvLinesAttribute), true);
}
