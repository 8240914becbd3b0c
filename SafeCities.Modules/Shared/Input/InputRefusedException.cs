using System.Text.Json;

namespace SafeCities.Modules.Shared.Input;

/// <summary>
/// A value refused by <see cref="InputRules"/> at the edge; the host answers 400 with <see cref="Errors"/> keyed by field. It is a
/// <see cref="JsonException"/> so that, thrown while a body is deserialised, System.Text.Json fills in <see cref="JsonException.Path"/>
/// (<c>$.pulses[0].sensorId</c>), which <see cref="Errors"/> turns into the field name (<c>pulses[0].sensorId</c>).
/// </summary>
public sealed class InputRefusedException : JsonException
{
    private readonly IReadOnlyDictionary<string, string>? fields;
    private readonly string suffix = "";
    private readonly string reason = "";

    /// <summary>Several fields outside JSON (query string, route, form, headers), each with why it is refused.</summary>
    public InputRefusedException(IReadOnlyDictionary<string, string> fields) => this.fields = fields;

    /// <summary>While deserialising JSON: the value being read is refused, or (<paramref name="suffix"/>, e.g. <c>.pulses[0]</c>) a part of it.</summary>
    internal InputRefusedException(string reason, string suffix = "") => (this.reason, this.suffix) = (reason, suffix);

    public IReadOnlyDictionary<string, string[]> Errors =>
        fields?.ToDictionary(f => f.Key, f => new[] { $"'{f.Key}' {f.Value}" }) ?? new Dictionary<string, string[]> { [Field] = [$"'{Field}' {reason}"] };

    public override string Message => fields is null ? $"'{Field}' {reason}" : string.Join(" ", Errors.Values.SelectMany(v => v));

    private string Field => FieldOf(Path, suffix);

    /// <summary>The field a System.Text.Json path names: <c>$.reads[3].make</c> → <c>reads[3].make</c>; the root value → <c>body</c>.</summary>
    public static string FieldOf(string? path, string suffix = "")
    {
        path ??= "$";
        path = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var name = path + suffix;
        name = name.StartsWith('.') ? name[1..] : name;
        return name.Length == 0 ? "body" : Printable(name);
    }

    /// <summary>A field name as it can be shown: a refused character in a key becomes U+FFFD.</summary>
    internal static string Printable(string name)
    {
        if (InputRules.IndexOfRefused(name, TextKind.Line) < 0)
            return name;
        var chars = name.ToCharArray();
        int at;
        while ((at = InputRules.IndexOfRefused(chars, TextKind.Line)) >= 0)
            chars[at] = '\uFFFD';
        return new string(chars);
    }
}
