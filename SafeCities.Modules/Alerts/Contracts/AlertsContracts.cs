using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Alerts.Contracts;

public static class IncidentStatus
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Closed = "closed";
    public static readonly IReadOnlyList<string> All = [Open, Acknowledged, Closed];
}

public static class IncidentKinds
{
    public const string Gunshot = "gunshot";
    /// <summary>A plate read matched a hotlist: an alert at the reader, with the normal lifecycle.</summary>
    public const string HotlistHit = "hotlist-hit";
    /// <summary>Environmental sensors' threshold rules (Sensors): one kind per kind of sensor, so that modules can react to some (seismic, water).</summary>
    public const string AirQuality = "air-quality", Seismic = "seismic", Wind = "wind", Noise = "noise", Water = "water";
    public static readonly IReadOnlyList<string> Environmental = [AirQuality, Seismic, Wind, Noise, Water];
    /// <summary>Opened by command staff from a citizen report in triage.</summary>
    public const string CitizenReport = "citizen-report";
    public static readonly IReadOnlyList<string> All = [Gunshot, HotlistHit, CitizenReport, .. Environmental];

    /// <summary>What people read for a kind (badges, filters, the board's announcement); a kind this version does not know reads as itself.</summary>
    public static string Label(string kind) => kind switch
    {
        Gunshot => "Gunshot",
        HotlistHit => "Hotlist hit",
        CitizenReport => "Citizen report",
        AirQuality => "Air quality",
        Seismic => "Seismic",
        Wind => "Wind",
        Noise => "Noise",
        Water => "Water",
        _ => kind,
    };
}

public sealed record IncidentDto(Guid Id, string Kind, string Status, string Title, double Latitude, double Longitude,
    DateTimeOffset OpenedAt, DateTimeOffset LastActivityAt, int Rounds, int Detections, string Source,
    DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, DateTimeOffset? ClosedAt, string? ClosedBy, string? Outcome = null, string? OutcomeNotes = null,
    string? District = null)
{
    /// <summary>The kind as people read it (<see cref="IncidentKinds.Label"/>), so that live pages show a corrected kind as the server would.</summary>
    public string KindLabel => IncidentKinds.Label(Kind);
}

public sealed record TimelineEntryDto(Guid Id, Guid IncidentId, DateTimeOffset At, string Module, string Kind, string Text);

public sealed record IncidentDetailDto(IncidentDto Incident, IReadOnlyList<TimelineEntryDto> Timeline);

/// <param name="Status">open, acknowledged or closed; null for all.</param>
public sealed record ListIncidentsQuery(string? Status = null, int Limit = 200) : IQuery<IReadOnlyList<IncidentDto>>;

/// <summary>
/// What the command board draws: the open and acknowledged incidents, the most recently active first, at most <see cref="BoardDto.Limit"/>
/// of each status (<c>Alerts:Incidents:BoardLimit</c>), with how many of each there are, so that the board says what it leaves out.
/// </summary>
public sealed record GetBoardQuery : IQuery<BoardDto>;

/// <param name="Open">How many incidents are open in all (the board draws at most <paramref name="Limit"/> of them).</param>
/// <param name="Acknowledged">How many are acknowledged in all.</param>
public sealed record BoardDto(IReadOnlyList<IncidentDto> Incidents, int Open, int Acknowledged, int Limit);

/// <param name="WithTimeline">False: the incident alone, its timeline empty (for what is drawn from the incident's own fields; a busy
/// incident's timeline holds every read tied to it).</param>
public sealed record GetIncidentQuery(Guid IncidentId, bool WithTimeline = true) : IQuery<IncidentDetailDto?>;

/// <summary>The incident a gunshot detection opened or joined, if its reaction has run.</summary>
public sealed record GetIncidentForDetectionQuery(Guid DetectionId) : IQuery<Guid?>;

public sealed record AcknowledgeIncidentCommand(Guid IncidentId, string By) : ICommand<IncidentDto>;

/// <param name="Outcome">One of <see cref="IncidentOutcomes.For"/> the incident's kind (required).</param>
/// <param name="Notes">Optional, ≤ 2,000 characters of plain text (what "other" was, what was found).</param>
public sealed record CloseIncidentCommand(Guid IncidentId, string By, string? Outcome = null, string? Notes = null) : ICommand<IncidentDto>;

/// <summary>
/// A new incident exists; modules react to it (lights, cameras, plate readers) and report back onto its timeline. Written to
/// Alerts' outbox with the incident (same id) and delivered off the request path after commit. Written again (with the correction's id)
/// when a person corrects an open incident's kind, with the corrected kind and place: a module that reacts to that kind and had not
/// reacted reacts now; each reaction is idempotent per incident (ADR 0067).
/// </summary>
public sealed record IncidentOpenedEvent(Guid IncidentId, string Kind, double Latitude, double Longitude, DateTimeOffset OccurredAt,
    double? UncertaintyMeters) : Shared.Outbox.IOutboxMessage;

/// <summary>
/// A person corrected where an open incident is (ADR 0067): the modules that reacted to its opening react again at the corrected place —
/// cameras turn to it, lights there are raised, its plate readers are armed — and report onto its timeline. Written to Alerts' outbox
/// with the correction (<paramref name="RelocationId"/> is the correction's id) and delivered after commit; a module reacts once per
/// relocation. Not written for a closed incident (a correction after the fact is for the record).
/// </summary>
/// <param name="Kind">The incident's kind after the correction.</param>
/// <param name="OccurredAt">When the incident opened (the reactions' windows are around it, as at the opening).</param>
public sealed record IncidentRelocatedEvent(Guid RelocationId, Guid IncidentId, string Kind, double Latitude, double Longitude,
    DateTimeOffset OccurredAt, double PreviousLatitude, double PreviousLongitude) : Shared.Outbox.IOutboxMessage;

/// <summary>
/// What is still on for an incident stands down (ADR 0068): a person closed it, or corrected its kind to one a module may not react to. Lighting
/// sends the lights it raised for it back to their level (unless another incident's raise holds them), Plates stops tying its armed readers'
/// reads captured from <paramref name="At"/> on; each says so on the timeline, once per stand-down. Written to Alerts' outbox with the change
/// (its id fixed by the status change or the correction) and delivered after commit. Cameras are left where they were turned: the bookmarks
/// are the record.
/// </summary>
/// <param name="Kind">The incident's kind now.</param>
/// <param name="Closed">Closed: every module stands down. Otherwise the kind was corrected: a module stands down when it does not react to
/// <paramref name="Kind"/>.</param>
/// <param name="Why">The reason in command staff's words, which the modules' reports begin with ("Incident closed (No evidence found)").</param>
public sealed record IncidentStandDownEvent(Guid StandDownId, Guid IncidentId, string Kind, bool Closed, DateTimeOffset At, string Why)
    : Shared.Outbox.IOutboxMessage
{
    /// <summary>Whether a module that reacts to <paramref name="triggerKinds"/> stands down.</summary>
    public bool Applies(IEnumerable<string> triggerKinds) => Closed || !triggerKinds.Contains(Kind);
}

/// <summary>
/// An incident as it is now, for a module whose reaction to its opening is delivered late (a retry after a failure, the sweep after a crash;
/// ADR 0068, amended): its kind and place as corrected since, and the stand-down in force, if any — its close, or else the latest correction of
/// its kind: the same event, with the same id, time and words, as Alerts wrote to its outbox then. null: no such incident.
/// </summary>
public sealed record GetIncidentNowQuery(Guid IncidentId) : IQuery<IncidentNowDto?>;

public sealed record IncidentNowDto(string Kind, double Latitude, double Longitude, IncidentStandDownEvent? StandDown);

/// <summary>
/// How a reaction to an opening meets a late delivery: it reacts to the incident as it is now, not as it was opened, and not at all once it stood
/// down — a stand-down delivered before the reaction found nothing to undo. Scoped: the handlers of one delivery share a scope, and the
/// incident is asked for once a delivery — by the first reaction, under its own lock (the one its relocation and stand-down take); the others,
/// milliseconds later, take that answer rather than a round trip each on the path of every incident's response. Once the reactions are
/// committed, <see cref="StandDownInForceAsync"/> asks afresh: a close committed meanwhile found nothing to stand down yet.
/// </summary>
public sealed class LateReactions(ISender sender)
{
    private readonly Dictionary<Guid, IncidentNowDto?> asked = [];

    /// <summary>The opening as the incident is now (its corrected kind and place), or the stand-down in force that applies to a module reacting to
    /// <paramref name="triggerKinds"/>.</summary>
    public async Task<(IncidentOpenedEvent Opening, IncidentStandDownEvent? StandDown)> AsNowAsync(IncidentOpenedEvent opened,
        IEnumerable<string> triggerKinds, CancellationToken ct)
    {
        if (!asked.TryGetValue(opened.IncidentId, out var now))
            asked[opened.IncidentId] = now = await sender.Send(new GetIncidentNowQuery(opened.IncidentId), ct);
        if (now is null)
            return (opened, null);
        return now.StandDown is { } standDown && standDown.Applies(triggerKinds)
            ? (opened, standDown)
            : (opened with { Kind = now.Kind, Latitude = now.Latitude, Longitude = now.Longitude }, null);
    }

    /// <summary>The stand-down in force for the incident now (asked afresh) that applies to a module reacting to <paramref name="triggerKinds"/>.</summary>
    public async Task<IncidentStandDownEvent?> StandDownInForceAsync(Guid incidentId, IEnumerable<string> triggerKinds, CancellationToken ct) =>
        await sender.Send(new GetIncidentNowQuery(incidentId), ct) is { StandDown: { } standDown } && standDown.Applies(triggerKinds) ? standDown : null;
}

public static class NotReactedReports
{
    /// <summary>
    /// Says on the incident's timeline, once per stand-down, through the module's outbox (saved), that the module did not react: "Incident closed
    /// (No evidence found) before the reaction ran: lights not raised."
    /// </summary>
    public static async Task SayNotReactedAsync(this DbContext db, IncidentStandDownEvent standDown, string module, string kind, string what,
        DateTimeOffset at, CancellationToken ct)
    {
        var reportId = StableId.Of($"not-reacted:{module}:{standDown.StandDownId}");
        if (await db.HasOutboxMessageAsync(reportId, ct))
            return;
        db.AddOutboxMessage(new IncidentReactionReportedEvent(reportId, standDown.IncidentId, module, kind, at, $"{standDown.Why} before the reaction ran: {what}."),
            reportId);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Whether a module's reaction is already at the place an event names (a relocation to where it reacted, e.g. after the opening a
/// corrected kind caused, delivered in either order): the same place to a tenth of a microdegree, as a correction compares them.</summary>
public static class IncidentPlace
{
    public static bool Same(double latitude, double longitude, double otherLatitude, double otherLongitude) =>
        Math.Abs(latitude - otherLatitude) <= 1e-7 && Math.Abs(longitude - otherLongitude) <= 1e-7;
}

/// <summary>
/// What a module did about an incident (lights raised, cameras tasked, plates read…), for the incident's timeline: the one reaction
/// report of every module, written to the reporting module's outbox with the change it reports. Alerts records it once per
/// <paramref name="ReactionId"/> and pushes it live.
/// </summary>
/// <param name="Module">The reporting module: "Lighting", "Video", "Plates"…</param>
/// <param name="Kind">A stable name for the kind of reaction, e.g. "LightsBrightened".</param>
/// <param name="Text">One line for command staff.</param>
public sealed record IncidentReactionReportedEvent(Guid ReactionId, Guid IncidentId, string Module, string Kind, DateTimeOffset At, string Text)
    : Shared.Outbox.IOutboxMessage;
