using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
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
            BadHttpRequestException b => (b.StatusCode, "The request could not be read.", Describe(b), null),
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
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Errors keyed by the JSON field they belong to (<c>Device.Latitude</c> → <c>latitude</c>, <c>Settings.Lanes</c> → <c>settings.lanes</c>).</summary>
    internal static Dictionary<string, string[]> Errors(ValidationException v) =>
        v.Errors.GroupBy(e => FieldName(e.PropertyName)).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());

    internal static string FieldName(string property) =>
        string.Join('.', property.Split('.').SkipWhile(s => s == "Device").Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));

    private static string Describe(BadHttpRequestException b) => b.InnerException switch
    {
        JsonException j => $"Malformed JSON: {j.Message}",
        null => b.Message,
        var inner => $"{b.Message} {inner.Message}",
    };
}
