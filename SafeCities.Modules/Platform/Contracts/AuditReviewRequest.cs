using Microsoft.AspNetCore.Mvc;
using SafeCities.Modules.Shared.Audit;

namespace SafeCities.Modules.Platform.Contracts;

/// <summary>Query string of the audit review (the page and the API share it).</summary>
public sealed class AuditReviewRequest
{
    [FromQuery] public DateTimeOffset? From { get; set; }
    [FromQuery] public DateTimeOffset? To { get; set; }
    [FromQuery] public string? Actor { get; set; }
    [FromQuery] public string? Module { get; set; }
    [FromQuery] public string? Action { get; set; }
    [FromQuery] public string? Purpose { get; set; }
    [FromQuery] public long? Before { get; set; }
    [FromQuery] public int? Limit { get; set; }
    /// <summary>Include the platform's own entries (actor <c>system</c>); the API includes them unless told, the audit page folds them.</summary>
    [FromQuery] public bool? System { get; set; }

    /// <param name="timeZone">The zone whose days the chart counts (the city's on the page).</param>
    public ReviewAuditLogQuery ToQuery(string reviewer, int defaultLimit = 200, bool includeSystem = true, string timeZone = "UTC") =>
        new(reviewer, From, To, Actor, Module, Action, Purpose, Before, Limit ?? defaultLimit, System ?? includeSystem, timeZone);
}
