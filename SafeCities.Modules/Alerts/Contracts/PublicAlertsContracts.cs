namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>The CAP 1.2 vocabularies a public alert is drafted with (OASIS CAP 1.2 §3.2.2).</summary>
public static class CapVocabulary
{
    public static readonly IReadOnlyList<string> Categories = ["Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"];
    public static readonly IReadOnlyList<string> Severities = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"];
    public static readonly IReadOnlyList<string> Urgencies = ["Immediate", "Expected", "Future", "Past", "Unknown"];
    public static readonly IReadOnlyList<string> Certainties = ["Observed", "Likely", "Possible", "Unlikely", "Unknown"];
    public static readonly IReadOnlyList<string> ResponseTypes = ["Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"];
}

/// <summary>Where a public alert message stands: drafted (waiting for a second person), issued (public), discarded (never public).</summary>
public static class PublicAlertStates
{
    public const string Draft = "draft";
    public const string Issued = "issued";
    public const string Discarded = "discarded";
}

public sealed record GeoPointDto(double Latitude, double Longitude);

/// <summary>
/// What a commander writes: the CAP <c>info</c> fields, an area (a circle: centre and radius, or a polygon of at least 3 points; not
/// both), onset/expiry, and the English texts (required) and Spanish texts (optional; with a headline they become a second <c>info</c>).
/// </summary>
public sealed record PublicAlertContent(
    string? Event = null, string? Category = null, string? Severity = null, string? Urgency = null, string? Certainty = null, string? ResponseType = null,
    DateTimeOffset? Onset = null, DateTimeOffset? Expires = null,
    string? AreaDescription = null, double? CircleLatitude = null, double? CircleLongitude = null, double? CircleRadiusMeters = null,
    IReadOnlyList<GeoPointDto>? Polygon = null,
    string? HeadlineEn = null, string? DescriptionEn = null, string? InstructionEn = null,
    string? HeadlineEs = null, string? DescriptionEs = null, string? InstructionEs = null);

/// <summary>One message of a public alert: the first Alert, an Update or a Cancel, drafted, issued or discarded.</summary>
/// <param name="ThreadId">The id of the thread's first message (the alert as the public knows it).</param>
/// <param name="Current">Issued, not superseded by a later message of its thread, not a Cancel and not expired: on the public page.</param>
public sealed record PublicAlertDto(Guid Id, Guid ThreadId, string MsgType, string State, Guid? IncidentId, Guid? ReplacesId, PublicAlertContent Content,
    string CreatedBy, DateTimeOffset CreatedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? Identifier, DateTimeOffset? Sent,
    bool Superseded, bool Current, string? DiscardedBy);

/// <summary>
/// Drafts a message: a new Alert (<paramref name="UpdatesId"/> null) or an Update of the issued message <paramref name="UpdatesId"/>
/// (its thread's newest). It becomes public only when approved (<see cref="ApprovePublicAlertCommand"/>).
/// </summary>
public sealed record DraftPublicAlertCommand(string By, PublicAlertContent Content, Guid? IncidentId = null, Guid? UpdatesId = null)
    : ICommand<PublicAlertDto>;

/// <summary>
/// A second authorised person approves a draft, which is then issued as CAP 1.2 at once. With the two-person rule on
/// (<c>Alerts:PublicAlerts:TwoPersonRule</c>) the author can never approve their own draft.
/// </summary>
public sealed record ApprovePublicAlertCommand(Guid Id, string By) : ICommand<PublicAlertDto>;

/// <summary>A draft that will not be issued (author or reviewer); kept, audited.</summary>
public sealed record DiscardPublicAlertCommand(Guid Id, string By) : ICommand<PublicAlertDto>;

/// <summary>
/// Withdraws an issued alert at once: a CAP <c>Cancel</c> referencing every earlier message of the thread. One authorised person suffices
/// (retracting never waits for a second; docs/adr/0030-public-alerts-cap.md).
/// </summary>
public sealed record CancelPublicAlertCommand(Guid Id, string By, string? Reason = null) : ICommand<PublicAlertDto>;

/// <summary>Staff's list: drafts waiting, issued and discarded messages, newest first.</summary>
public sealed record ListPublicAlertsQuery(int Limit = 100) : IQuery<IReadOnlyList<PublicAlertDto>>;

public sealed record GetPublicAlertQuery(Guid Id) : IQuery<PublicAlertDto?>;

/// <summary>
/// The public alerts about an incident that are in effect now (issued, not superseded, cancelled or expired; each thread's newest message),
/// newest first: what closing the incident leaves standing, since only a person withdraws a public alert (ADR 0068).
/// </summary>
public sealed record ListIncidentPublicAlertsInEffectQuery(Guid IncidentId) : IQuery<IReadOnlyList<PublicAlertDto>>;

/// <summary>What the public page shows of a current alert (no author, no incident).</summary>
public sealed record PublicAlertViewDto(string Identifier, string MsgType, DateTimeOffset Sent, DateTimeOffset? Onset, DateTimeOffset? Expires, string Event,
    string Category, string Severity, string Urgency, string Certainty, string ResponseType, string AreaDescription,
    double? CircleLatitude, double? CircleLongitude, double? CircleRadiusMeters, IReadOnlyList<GeoPointDto>? Polygon,
    IReadOnlyList<PublicAlertTextDto> Texts);

public sealed record PublicAlertTextDto(string Language, string Headline, string? Description, string? Instruction);

/// <summary>Current public alerts (issued, not superseded, not cancelled, not expired), most severe then newest first.</summary>
public sealed record ListCurrentPublicAlertsQuery : IQuery<IReadOnlyList<PublicAlertViewDto>>;

/// <summary>An issued CAP message as published: its XML and strong ETag.</summary>
public sealed record CapDocumentDto(string Xml, string ETag, DateTimeOffset Updated);

/// <summary>The CAP message with this identifier (null when unknown or not issued).</summary>
public sealed record GetCapMessageQuery(string Identifier) : IQuery<CapDocumentDto?>;

/// <summary>The Atom index of the published CAP messages; <paramref name="BaseUrl"/> is the site's absolute root (links are absolute).</summary>
public sealed record GetCapFeedQuery(string BaseUrl) : IQuery<CapDocumentDto>;

/// <summary>The authorization policy of drafting, approving, updating and cancelling public alerts: commanders and administrators.</summary>
public static class PublicAlertPolicies
{
    public const string Issuers = "PublicAlertIssuers";
}
