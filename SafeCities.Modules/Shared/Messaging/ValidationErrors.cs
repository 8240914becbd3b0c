namespace SafeCities.Modules.Shared.Messaging;

/// <summary>
/// How a refused request names its errors, for the API (ProblemDetails <c>errors</c>) and for the pages (form errors) alike: per field, keyed by
/// the JSON field the error belongs to (<c>Device.Latitude</c> → <c>latitude</c>, <c>Settings.Lanes</c> → <c>settings.lanes</c>), each message once.
/// </summary>
public static class ValidationErrors
{
    public static Dictionary<string, string[]> ByField(ValidationException v) =>
        v.Errors.GroupBy(e => FieldName(e.PropertyName)).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());

    public static string FieldName(string property) =>
        string.Join('.', property.Split('.').SkipWhile(s => s == "Device").Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));
}
