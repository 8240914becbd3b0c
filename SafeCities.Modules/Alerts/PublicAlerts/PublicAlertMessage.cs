using NetTopologySuite.Geometries;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Modules.Alerts.PublicAlerts;

/// <summary>
/// One CAP message of a public alert thread: the first Alert, an Update or a Cancel. Drafted by one person, approved and issued by another
/// (two-person rule); once issued its XML is frozen (<see cref="Xml"/>, <see cref="ETag"/>) and a later message of the thread supersedes it.
/// </summary>
internal sealed class PublicAlertMessage
{
    public Guid Id { get; init; }
    public Guid ThreadId { get; init; }
    public required string MsgType { get; init; }
    public string State { get; set; } = PublicAlertStates.Draft;
    public Guid? IncidentId { get; init; }
    /// <summary>The issued message this Update or Cancel follows (null for the first Alert).</summary>
    public Guid? ReplacesId { get; init; }

    public required string Event { get; init; }
    public required string Category { get; init; }
    public required string Severity { get; init; }
    public required string Urgency { get; init; }
    public required string Certainty { get; init; }
    public required string ResponseType { get; init; }
    public DateTimeOffset? Onset { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public required string AreaDescription { get; init; }
    public double? CircleLatitude { get; init; }
    public double? CircleLongitude { get; init; }
    public double? CircleRadiusMeters { get; init; }
    /// <summary>The polygon as CAP writes it: "lat,lon lat,lon …", closed (first point = last); null for a circle.</summary>
    public string? Polygon { get; init; }
    /// <summary>The area as a PostGIS geography polygon (a circle approximated), for matching against other places.</summary>
    public required Polygon Area { get; init; }
    public required string HeadlineEn { get; init; }
    public string? DescriptionEn { get; init; }
    public string? InstructionEn { get; init; }
    public string? HeadlineEs { get; init; }
    public string? DescriptionEs { get; init; }
    public string? InstructionEs { get; init; }
    /// <summary>CAP <c>note</c>: the reason of a Cancel.</summary>
    public string? Note { get; init; }

    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public string? DiscardedBy { get; set; }
    public DateTimeOffset? DiscardedAt { get; set; }
    public string? Identifier { get; set; }
    /// <summary>CAP <c>sent</c>, whole seconds (the XML and every later <c>references</c> carry exactly this).</summary>
    public DateTimeOffset? Sent { get; set; }
    public string? Xml { get; set; }
    public string? ETag { get; set; }
    public DateTimeOffset? SupersededAt { get; set; }

    public IReadOnlyList<GeoPointDto>? PolygonPoints() => Polygon is null ? null : CapArea.ParsePolygon(Polygon);

    public bool IsCurrent(DateTimeOffset now) =>
        State == PublicAlertStates.Issued && SupersededAt is null && MsgType != CapMessageTypes.Cancel && (Expires is null || Expires > now);

    public PublicAlertContent Content() => new(Event, Category, Severity, Urgency, Certainty, ResponseType, Onset, Expires, AreaDescription,
        CircleLatitude, CircleLongitude, CircleRadiusMeters, PolygonPoints(), HeadlineEn, DescriptionEn, InstructionEn, HeadlineEs, DescriptionEs, InstructionEs);

    public PublicAlertDto ToDto(DateTimeOffset now) => new(Id, ThreadId, MsgType, State, IncidentId, ReplacesId, Content(), CreatedBy, CreatedAt, ApprovedBy,
        ApprovedAt, Identifier, Sent, SupersededAt is not null, IsCurrent(now), DiscardedBy);

    /// <summary>The CAP <c>info</c> texts, English first; Spanish when it has a headline.</summary>
    public IReadOnlyList<PublicAlertTextDto> Texts()
    {
        var texts = new List<PublicAlertTextDto> { new("en-US", HeadlineEn, DescriptionEn, InstructionEn) };
        if (!string.IsNullOrWhiteSpace(HeadlineEs))
            texts.Add(new PublicAlertTextDto("es-US", HeadlineEs, DescriptionEs, InstructionEs));
        return texts;
    }
}

internal static class CapMessageTypes
{
    public const string Alert = "Alert";
    public const string Update = "Update";
    public const string Cancel = "Cancel";
}
