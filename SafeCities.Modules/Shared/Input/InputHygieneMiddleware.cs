using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SafeCities.Modules.Shared.Input;

/// <summary>
/// <see cref="InputRules"/> for everything outside a JSON body, before any endpoint or page runs: header values, query-string keys and
/// values, route values (single-line text) and form fields (text; an uploaded file's content is the CSV splitter's to judge, its name is
/// checked). A value bound to a date or a floating-point number of the endpoint (a minimal API's parameters, a page's bound properties and
/// handler parameters) is also held to the date range and to finite numbers. Anything refused: <see cref="InputRefusedException"/> → 400.
/// </summary>
internal sealed class InputHygieneMiddleware(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<Endpoint, TypedInputs> Typed = new();

    public Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint() is not { } endpoint)
            return next(http);
        var typed = Typed.GetOrAdd(endpoint, TypedInputs.Of);
        Dictionary<string, string>? refused = null;
        var request = http.Request;
        foreach (var (name, values) in request.Headers)
            foreach (var value in values)
                Check(ref refused, name, value, TextKind.Line, null);
        foreach (var (key, values) in request.Query)
        {
            Check(ref refused, key, key, TextKind.Line, null);
            foreach (var value in values)
                Check(ref refused, key, value, TextKind.Line, typed);
        }
        foreach (var (key, value) in request.RouteValues)
            if (value is string text)
                Check(ref refused, key, text, TextKind.Line, typed);
        if (refused is not null)
            throw new InputRefusedException(refused);
        return request.HasFormContentType ? CheckFormAsync(http, typed) : next(http);
    }

    private async Task CheckFormAsync(HttpContext http, TypedInputs typed)
    {
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException ex)
        {
            throw new BadHttpRequestException($"The form could not be read: {ex.Message}", StatusCodes.Status400BadRequest, ex);
        }
        Dictionary<string, string>? refused = null;
        foreach (var (key, values) in form)
        {
            Check(ref refused, key, key, TextKind.Line, null);
            foreach (var value in values)
                Check(ref refused, key, value, TextKind.Text, typed);
        }
        foreach (var file in form.Files)
        {
            Check(ref refused, file.Name, file.Name, TextKind.Line, null);
            Check(ref refused, file.Name, file.FileName, TextKind.Line, null);
        }
        if (refused is not null)
            throw new InputRefusedException(refused);
        await next(http);
    }

    private static void Check(ref Dictionary<string, string>? refused, string field, string? value, TextKind kind, TypedInputs? typed)
    {
        if (value is null)
            return;
        var why = InputRules.TextRefusal(value, kind) ?? typed?.Refusal(field, value);
        if (why is not null)
            (refused ??= [])[InputRefusedException.Printable(field)] = why;
    }

    /// <summary>The names an endpoint binds to dates or floating-point numbers (matched on the last step of a key: <c>Filter.From</c> → <c>From</c>).</summary>
    private sealed class TypedInputs
    {
        private static readonly TypedInputs None = new([]);
        private readonly Dictionary<string, bool> isDate;

        private TypedInputs(Dictionary<string, bool> isDate) => this.isDate = isDate;

        public string? Refusal(string key, string value)
        {
            if (isDate.Count == 0)
                return null;
            var name = key[(key.LastIndexOf('.') + 1)..];
            if (name.IndexOf('[', StringComparison.Ordinal) is >= 0 and var bracket)
                name = name[..bracket];
            return !isDate.TryGetValue(name, out var date) ? null : date ? InputRules.DateTextRefusal(value) : InputRules.NumberTextRefusal(value);
        }

        public static TypedInputs Of(Endpoint endpoint)
        {
            var names = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
            if (endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() is { } page)
            {
                foreach (var property in page.BoundProperties)
                    Add(names, property.Name, property.ParameterType, expand: true);
                foreach (var parameter in page.HandlerMethods.SelectMany(h => h.Parameters))
                    Add(names, parameter.Name, parameter.ParameterType, expand: true);
            }
            else if (endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler)
            {
                foreach (var parameter in handler.GetParameters())
                    if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
                        foreach (var property in parameter.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                            Add(names, NameOf(property) ?? property.Name, property.PropertyType, expand: false);
                    else if (parameter.Name is { } name)
                        Add(names, NameOf(parameter) ?? name, parameter.ParameterType, expand: false);
            }
            return names.Count == 0 ? None : new TypedInputs(names);
        }

        private static string? NameOf(ICustomAttributeProvider member) =>
            member.GetCustomAttributes(true).OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
            ?? member.GetCustomAttributes(true).OfType<IFromRouteMetadata>().FirstOrDefault()?.Name
            ?? member.GetCustomAttributes(true).OfType<IFromFormMetadata>().FirstOrDefault()?.Name;

        private static void Add(Dictionary<string, bool> names, string name, Type type, bool expand)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            if (t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(DateOnly))
                names[name] = true;
            else if (t == typeof(double) || t == typeof(float) || t == typeof(Half))
                names[name] = false;
            else if (expand && t.IsClass && t != typeof(string) && t.Namespace?.StartsWith("SafeCities", StringComparison.Ordinal) == true)
                // A page's bound input model: MVC binds its properties as "Input.Latitude" (or "Latitude").
                foreach (var property in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    Add(names, property.Name, property.PropertyType, expand: false);
        }
    }
}
