using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Platform;

/// <summary>Turns bad input and refused business rules into RFC 9457 ProblemDetails (400/404/409…), never a 500.</summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, errors) = exception switch
        {
            ValidationException v => (400, "The request is invalid.", "See 'errors' for each field.", Errors(v)),
            InputRefusedException r => (400, "The request is invalid.", "See 'errors' for each field.", ToDictionary(r.Errors)),
            BadHttpRequestException { InnerException: InputRefusedException r } => (400, "The request is invalid.", "See 'errors' for each field.", ToDictionary(r.Errors)),
            BadHttpRequestException { InnerException: JsonException { Path: not null } j } b => (b.StatusCode, "The request could not be read.", Describe(b), Unreadable(j)),
            BadHttpRequestException b => (b.StatusCode, "The request could not be read.", Describe(b), null),
            JsonException { Path: not null } j => (400, "The request could not be read.", j.Message, Unreadable(j)),
            JsonException j => (400, "The request could not be read.", j.Message, null),
            DomainRuleException d => (d.StatusCode, d.StatusCode == 404 ? "Not found." : "The request was refused.", d.Message, null),
            _ => (0, "", "", (Dictionary<string, string[]>?)null),
        };
        if (status == 0)
            return false;
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null)
            problem.Extensions["errors"] = errors;
        if (exception is DomainRuleException { Extensions: var extensions })
            foreach (var (key, value) in extensions)
                problem.Extensions[key] = value;
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception }))
            return true;
        // A client that accepts no JSON (a browser asking only for text/html) still gets the 400, as text, not a 500.
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(errors is null ? $"{title} {detail}" : string.Join("\n", errors.SelectMany(e => e.Value)), cancellationToken);
        return true;
    }

    /// <summary>The field System.Text.Json could not read (wrong type, not a date, text that is not Unicode), named like any other.</summary>
    private static Dictionary<string, string[]> Unreadable(JsonException j)
    {
        var field = InputRefusedException.FieldOf(j.Path);
        return new()
        {
            [field] = [j.InnerException is { } inner and not JsonException ? $"'{field}' could not be read: {inner.Message}" : $"'{field}' has the wrong type or format."],
        };
    }

    private static Dictionary<string, string[]> ToDictionary(IReadOnlyDictionary<string, string[]> errors) => errors.ToDictionary(e => e.Key, e => e.Value);

    /// <summary>Errors keyed by the JSON field they belong to (<see cref="ValidationErrors"/>, the same keys as the pages' form errors).</summary>
    internal static Dictionary<string, string[]> Errors(ValidationException v) => ValidationErrors.ByField(v);

    internal static string FieldName(string property) => ValidationErrors.FieldName(property);

    private static string Describe(BadHttpRequestException b) => b.InnerException switch
    {
        JsonException j => $"Malformed JSON: {j.Message}",
        null => b.Message,
        var inner => $"{b.Message} {inner.Message}",
    };
}
