namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>
/// Receives a CAP 1.2 or 1.1 message pushed by a partner authority (<paramref name="AgencyId"/>) or an administrator (null). The body is
/// parsed safely (no DTD, no resolver, bounded); a refusal is a <c>DomainRuleException</c> with status 400 and the reason.
/// </summary>
public sealed record ReceiveInboundCapCommand(byte[] Body, string By, Guid? AgencyId) : ICommand<InboundCapReceivedDto>;

/// <param name="Created">False when this sender/identifier/sent was already received (the answer is then 200, nothing written).</param>
/// <param name="Areas">The number of <c>area</c> elements of the message (every info's).</param>
/// <param name="ReferencesApplied">How many earlier messages an Update superseded or a Cancel cancelled (the ones we know of).</param>
public sealed record InboundCapReceivedDto(Guid Id, string Identifier, int Areas, bool Created, int ReferencesApplied);

/// <summary>What command staff see of a current inbound alert: its texts and its areas (polygons; circles as polygons; points).</summary>
public sealed record InboundCapAlertViewDto(Guid Id, string Sender, string? SenderName, string Identifier, string Status, string MsgType, DateTimeOffset Sent,
    DateTimeOffset? Expires, string? Event, string? Severity, string? Urgency, string? Certainty, string? Headline, DateTimeOffset ReceivedAt,
    IReadOnlyList<InboundCapAreaViewDto> Areas);

public sealed record InboundCapAreaViewDto(string Description, IReadOnlyList<IReadOnlyList<GeoPointDto>> Polygons, IReadOnlyList<GeoPointDto> Points,
    string? Geocodes);

/// <summary>
/// Inbound alerts in force: an Alert or Update not superseded or cancelled, not expired (one without an expiry counts for 24 hours after it
/// was sent), newest first.
/// </summary>
public sealed record ListCurrentInboundCapAlertsQuery(int Limit = 200) : IQuery<IReadOnlyList<InboundCapAlertViewDto>>;

/// <summary>Who may push CAP messages to <c>POST /api/v1/alerts/cap</c>: a partner agency's feed key, or an administrator (docs/adr/0039).</summary>
public static class InboundCapPolicies
{
    public const string Pushers = "InboundCapPushers";
}
