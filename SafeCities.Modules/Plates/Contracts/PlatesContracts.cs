using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Plates.Contracts;

/// <param name="HeadingDegrees">Direction of travel the reader faces, degrees clockwise from north.</param>
/// <param name="Lanes">Lanes covered; default 1.</param>
public sealed record PlateReaderSettings(double? HeadingDegrees = null, int? Lanes = null);

public sealed record RegisterPlateReaderCommand(DeviceRegistration Device, PlateReaderSettings Settings) : ICommand<DeviceDto>;

/// <summary>A reader reports its status: <paramref name="Fault"/> is the fault it has now, in its own words, or null for none.</summary>
public sealed record ReportReaderStatusCommand(Guid ReaderId, string? Fault) : ICommand<ReaderStatusDto>;

/// <param name="FaultSince">Since when the reader has reported <paramref name="Fault"/> without a break.</param>
public sealed record ReaderStatusDto(string? Fault, DateTimeOffset? FaultSince, DateTimeOffset ReportedAt);

public sealed record ListPlateReadersQuery : IQuery<IReadOnlyList<DeviceDto>>;

/// <summary>Readers with their recent activity, for the administrators' reader map.</summary>
public sealed record ListPlateReaderActivityQuery : IQuery<IReadOnlyList<PlateReaderActivityDto>>;

public sealed record PlateReaderActivityDto(Guid Id, string Name, double Latitude, double Longitude, double? HeadingDegrees, int Lanes,
    DateTimeOffset RegisteredAt, int ReadsLast24Hours, DateTimeOffset? LastCapturedAt);

// ---- ingestion -------------------------------------------------------------------------------------------------------

/// <summary>
/// One read as a reader sends it. Every field is nullable so that a missing one is reported by name (<c>reads[3].plate</c>)
/// rather than as unreadable JSON; the validator decides what is required.
/// </summary>
public sealed record IncomingPlateReadDto(string? ReadId = null, string? Plate = null, string? Region = null, DateTimeOffset? CapturedAt = null,
    double? Confidence = null, string? Make = null, string? Model = null, string? Color = null, string? ImageRef = null);

/// <summary>
/// A batch of reads from one reader (the authenticated device). All-or-nothing: one invalid read refuses the whole batch and
/// nothing is written. Idempotent per reader and read id: a read id this reader already sent is counted as a duplicate.
/// </summary>
public sealed record IngestPlateReadsCommand(Guid ReaderId, IReadOnlyList<IncomingPlateReadDto>? Reads) : ICommand<PlateReadsIngestedDto>;

public sealed record PlateReadsIngestedDto(int Accepted, int Duplicates);

// ---- incidents -------------------------------------------------------------------------------------------------------

/// <summary>The reads tied to an incident, newest first (at most <paramref name="Limit"/>).</summary>
public sealed record GetIncidentPlateReadsQuery(Guid IncidentId, int Limit = 500) : IQuery<IReadOnlyList<IncidentPlateReadDto>>;

/// <param name="DistanceMeters">From the reader to the incident's position.</param>
/// <param name="ImageUrl">The app URL of the reader's picture of the read; null when the reader uploaded none.</param>
/// <param name="Listed">The plate has a hotlist hit anywhere in the city (live, or found by a look-back when it was listed) that its adjudicator
/// has not rejected: the page ranks it first.</param>
public sealed record IncidentPlateReadDto(Guid Id, string Plate, string Region, DateTimeOffset CapturedAt, double Confidence, string? Make,
    string? Model, string? Color, Guid ReaderId, string ReaderName, double ReaderLatitude, double ReaderLongitude, double DistanceMeters,
    string? ImageUrl = null, bool Listed = false);

// ---- reaction settings -----------------------------------------------------------------------------------------------

public sealed record GetPlatesReactionSettingsQuery : IQuery<PlatesReactionSettingsDto>;

/// <summary>Changes how Plates reacts to incidents and how large a batch a reader may send. Audited with its before and after.</summary>
public sealed record UpdatePlatesReactionSettingsCommand(IReadOnlyList<string> TriggerKinds, int RadiusMeters, int WindowBeforeMinutes,
    int WindowAfterMinutes, int MaxBatchSize, string By) : ICommand<PlatesReactionSettingsDto>;

/// <param name="TriggerKinds">Incident kinds that arm readers; empty switches the reaction off.</param>
/// <param name="AvailableTriggerKinds">Every incident kind Alerts knows.</param>
public sealed record PlatesReactionSettingsDto(IReadOnlyList<string> TriggerKinds, int RadiusMeters, int WindowBeforeMinutes, int WindowAfterMinutes,
    int MaxBatchSize, DateTimeOffset? UpdatedAt, string? UpdatedBy, IReadOnlyList<string> AvailableTriggerKinds);

// ---- plate-read images -----------------------------------------------------------------------------------------------

/// <summary>
/// A reader's picture of a read, under the read's <c>imageRef</c>: JPEG or PNG (by its first bytes), at most 1 MB. Idempotent: the same bytes
/// again change nothing; different bytes under a stored reference are refused (409) — an image is evidence and is not replaced.
/// </summary>
public sealed record StorePlateImageCommand(Guid ReaderId, string? ImageRef, byte[]? Content) : ICommand<PlateImageStoredDto>;

/// <param name="Created">False when the same image was already stored (a repeated upload).</param>
/// <param name="Url">Where signed-in staff load it in the app.</param>
public sealed record PlateImageStoredDto(string ImageRef, string ContentType, int Bytes, bool Created, string Url);

public sealed record GetPlateImageQuery(Guid ReaderId, string ImageRef) : IQuery<PlateImageDto?>;

/// <param name="ETag">The image's SHA-256 (hex): it never changes.</param>
public sealed record PlateImageDto(string ContentType, byte[] Content, string ETag);
