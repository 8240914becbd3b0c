namespace SafeCities.Modules.Shared.Messaging;

/// <summary>A business rule refused the request (becomes 409/400 ProblemDetails or a form error, never a 500).</summary>
public sealed class DomainRuleException(string message, int statusCode = 409) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
