namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>
/// Receives a CAP 1.2 or 1.1 message pushed by a partner authority (<paramref name="AgencyId"/>) or an administrator (null). The body is
/// parsed safely (no DTD, no resolver, bounded); a refusal is a <c>DomainRuleException</c> with status 400 and the reason.
/// </summary>
public sealed record ReceiveInboundCapCommand(byte[] Body, string By, Guid? AgencyId) : ICommand<InboundCapReceivedDto>;

/// <param name="Created">False when this sender/identifier/sent was already received (the answer is then 200, nothing written).</param>
/// <param name="Areas">The number of <c>area</c> elements of the message (every info's).</param>
/// <param name="ReferencesApplied">How many earlier messages an Update superseded or a Cancel cancelled (the ones we know of).</param>
/// <param name="IncidentsAttached">How many open incidents inside its areas got it on their timeline (an actual Alert or Update in force).</param>
public sealed record InboundCapReceivedDto(Guid Id, string Identifier, int Areas, bool Created, int ReferencesApplied, int IncidentsAttached);

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

/// <summary>Subscribes to an external CAP source: an Atom or RSS index of CAP messages, or one CAP message, by http(s) URL (ADR 0038).</summary>
public sealed record AddCapFeedCommand(string? Name, string? Url, int? IntervalSeconds, string By) : ICommand<CapFeedDto>;

public sealed record RemoveCapFeedCommand(Guid Id, string By) : ICommand;

/// <summary>Polls one feed now (as the recurring job would) and answers its state afterwards.</summary>
public sealed record PollCapFeedCommand(Guid Id) : ICommand<CapFeedDto>;

public sealed record ListCapFeedsQuery : IQuery<IReadOnlyList<CapFeedDto>>;

/// <param name="LastResult">What the last poll did ("304 not modified", "read: 2 new, 0 already received, 1 refused", …).</param>
/// <param name="LastError">The first failure or refusal of the last poll; null when it went well.</param>
public sealed record CapFeedDto(Guid Id, string Name, string Url, int IntervalSeconds, bool Enabled, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? LastPolledAt, DateTimeOffset? LastChangedAt, string? LastResult, string? LastError, int MessagesReceived);

/// <summary>Who may push CAP messages to <c>POST /api/v1/alerts/cap</c>: a partner agency's feed key, or an administrator (docs/adr/0039).</summary>
public static class InboundCapPolicies
{
    public const string Pushers = "InboundCapPushers";
}
