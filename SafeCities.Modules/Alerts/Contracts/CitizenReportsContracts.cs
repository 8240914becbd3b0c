namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>What a member of the public may report (a fixed list, also the Open311 services).</summary>
public static class CitizenReportCategories
{
    public sealed record Category(string Code, string Name, string Description);

    public static readonly IReadOnlyList<Category> All =
    [
        new("gunfire", "Gunfire or shots heard", "Shots heard or a person seen firing a weapon."),
        new("assault", "Violence or a fight", "Someone being attacked or a fight in progress."),
        new("suspicious-person", "Suspicious person or vehicle", "A person or vehicle acting suspiciously."),
        new("theft", "Theft or break-in", "A theft, robbery or break-in seen or found."),
        new("vandalism", "Vandalism or damage", "Damage to property, graffiti, broken lights."),
        new("traffic", "Dangerous driving or crash", "A crash, a hit-and-run or dangerous driving."),
        new("other", "Something else", "Anything else the police should know."),
    ];

    public static Category? Find(string? code) => All.FirstOrDefault(c => c.Code == code);

    public static string Name(string code) => Find(code)?.Name ?? code;
}

/// <summary>Where a citizen report stands: waiting in triage, attached to an incident as a witness statement, or dismissed.</summary>
public static class CitizenReportStatus
{
    public const string Triage = "triage";
    public const string Witness = "witness";
    public const string Dismissed = "dismissed";
}

/// <summary>One photo as sent (bytes checked by their magic numbers, then re-encoded so that no metadata survives).</summary>
public sealed record ReportPhotoUpload(string? FileName, string? ContentType, byte[] Bytes);

/// <summary>
/// A report by a member of the public (the /report page or Open311). Contact fields are optional; the report is kept
/// CitizenReports:RetentionDays days. Answers the report's id and what became of it.
/// </summary>
public sealed record SubmitCitizenReportCommand(string Channel, string? Category, string? Description, DateTimeOffset? OccurredAt, double? Latitude,
    double? Longitude, string? ContactName = null, string? ContactPhone = null, string? ContactEmail = null,
    IReadOnlyList<ReportPhotoUpload>? Photos = null) : ICommand<CitizenReportReceiptDto>;

public sealed record CitizenReportReceiptDto(Guid Id, string Status, Guid? IncidentId, Guid ClusterId);

/// <summary>What the public may see of a report (Open311 GET): never the contact details, the description or the exact place.</summary>
public sealed record PublicCitizenReportDto(Guid Id, string Category, string Status, DateTimeOffset RequestedAt, DateTimeOffset UpdatedAt,
    double Latitude, double Longitude);

public sealed record GetPublicCitizenReportQuery(Guid Id) : IQuery<PublicCitizenReportDto?>;

public sealed record ListPublicCitizenReportsQuery(IReadOnlyList<Guid>? Ids, string? Category, string? Status, DateTimeOffset? From, DateTimeOffset? To,
    int Limit = 200) : IQuery<IReadOnlyList<PublicCitizenReportDto>>;

/// <summary>A report as command staff see it (without the contact: that is shown only through the audited <see cref="ViewReporterContactCommand"/>).</summary>
public sealed record CitizenReportDto(Guid Id, string Channel, string Category, string Description, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt,
    double Latitude, double Longitude, string Status, Guid? IncidentId, Guid ClusterId, int ClusterSize, bool HasContact,
    IReadOnlyList<Guid> PhotoIds, string? DismissReason, string? HandledBy);

public sealed record TriageIncidentChoiceDto(Guid Id, string Title, string Status, double DistanceMeters);

public sealed record TriageItemDto(CitizenReportDto Report, IReadOnlyList<TriageIncidentChoiceDto> NearbyIncidents);

/// <summary>The reports waiting in triage, newest first, with the open incidents nearest each.</summary>
public sealed record ListTriageQuery(int Limit = 100) : IQuery<IReadOnlyList<TriageItemDto>>;

/// <summary>The witness statements of an incident (for its page and map).</summary>
public sealed record ListWitnessStatementsQuery(Guid IncidentId) : IQuery<IReadOnlyList<CitizenReportDto>>;

/// <summary>Attaches a report waiting in triage (and the rest of its cluster still waiting) to an incident as witness statements.</summary>
public sealed record AttachCitizenReportCommand(Guid ReportId, Guid IncidentId, string By) : ICommand<int>;

public sealed record DismissCitizenReportCommand(Guid ReportId, string By, string? Reason) : ICommand;

/// <summary>Opens an incident at a report waiting in triage; it and the rest of its cluster still waiting become its witness statements.</summary>
public sealed record OpenIncidentFromCitizenReportCommand(Guid ReportId, string By) : ICommand<Guid>;

public sealed record ReporterContactDto(string? Name, string? Phone, string? Email);

/// <summary>Shows a reporter's contact details to command staff; every call is audited (who, which report, why).</summary>
public sealed record ViewReporterContactCommand(Guid ReportId, string By, string? Purpose) : ICommand<ReporterContactDto?>;

public sealed record ReportPhotoDto(Guid Id, Guid ReportId, string ContentType, byte[] Bytes);

/// <summary>A report's photo for command staff; every view is audited.</summary>
public sealed record ViewReportPhotoCommand(Guid PhotoId, string By) : ICommand<ReportPhotoDto?>;

/// <summary>Deletes reports (and their photos) received more than CitizenReports:RetentionDays ago. Answers how many.</summary>
public sealed record PurgeCitizenReportsCommand : ICommand<int>;

/// <summary>The rate-limiter policy of every public submission (the /report page and Open311 share it, per client address).</summary>
public static class CitizenReportLimits
{
    public const string RateLimitPolicy = "citizen-reports";
}

/// <summary>A server-made arithmetic question against scripted submissions (no third-party service: the city may be air-gapped).</summary>
public sealed record IssueReportChallengeCommand : ICommand<ReportChallengeDto>;

public sealed record ReportChallengeDto(string Question, string Token);

/// <summary>True once for a token answered right within its lifetime; a replayed token is false.</summary>
public sealed record VerifyReportChallengeCommand(string? Token, string? Answer) : ICommand<bool>;
