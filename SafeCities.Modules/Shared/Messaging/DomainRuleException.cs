namespace SafeCities.Modules.Shared.Messaging;

/// <summary>A business rule refused the request (becomes 409/400 ProblemDetails or a form error, never a 500).</summary>
/// <param name="extensions">Members the ProblemDetails carries besides its text (e.g. the approval request a refused look-up was queued as).</param>
public sealed class DomainRuleException(string message, int statusCode = 409, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
