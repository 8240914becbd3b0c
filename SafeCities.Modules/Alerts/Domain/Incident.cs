using NetTopologySuite.Geometries;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Text;

namespace SafeCities.Modules.Alerts.Domain;

internal sealed class Incident
{
    public Guid Id { get; init; }
    /// <summary>Changed only by <see cref="Correct"/> (kept in <see cref="IncidentCorrection"/>).</summary>
    public required string Kind { get; set; }
    public string Status { get; private set; } = IncidentStatus.Open;
    public required string Title { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public required Point Location { get; set; }

    /// <summary>The code of the police district it lies in (Platform's districts; set when it opens and when it moves), null outside every district.</summary>
    public string? District { get; set; }

    /// <summary>
    /// What further reports of the same thing join while the incident is not closed, e.g. <c>hotlist:{list}:{entry plate}:{read plate}</c>
    /// (one incident per listed vehicle); null for incidents joined by place and time (gunshots).
    /// </summary>
    public string? JoinKey { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset LastActivityAt { get; set; }
    public int Rounds { get; set; }
    public int Detections { get; set; }
    public required string Source { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public string? AcknowledgedBy { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? ClosedBy { get; private set; }

    /// <summary>The outcome code given when it was last closed (null while not closed); every change is kept in <see cref="IncidentStatusChange"/>.</summary>
    public string? Outcome { get; private set; }
    public string? OutcomeNotes { get; private set; }

    /// <summary>What the modules react to (written to the outbox with the new incident).</summary>
    public IncidentOpenedEvent Opened(double? uncertaintyMeters) => new(Id, Kind, Latitude, Longitude, OpenedAt, uncertaintyMeters);

    public void Acknowledge(string by, DateTimeOffset at)
    {
        if (Status != IncidentStatus.Open)
            throw new DomainRuleException($"Only an open incident can be acknowledged; this one is {Status}.");
        Status = IncidentStatus.Acknowledged;
        AcknowledgedAt = at;
        AcknowledgedBy = by;
    }

    public void Close(string by, DateTimeOffset at, string outcome, string? notes)
    {
        if (Status == IncidentStatus.Closed)
            throw new DomainRuleException("The incident is already closed.");
        if (string.IsNullOrEmpty(outcome))
            throw new DomainRuleException($"Choose an outcome to close a {Kind} incident: one of: "
                                          + string.Join(", ", IncidentOutcomes.For(Kind).Select(o => o.Code)) + ".", 400);
        if (IncidentOutcomes.For(Kind).All(o => o.Code != outcome))
            throw new DomainRuleException($"'{outcome}' is not an outcome of a {Kind} incident; choose one of: "
                                          + string.Join(", ", IncidentOutcomes.For(Kind).Select(o => o.Code)) + ".", 400);
        Status = IncidentStatus.Closed;
        ClosedAt = at;
        ClosedBy = by;
        Outcome = outcome;
        OutcomeNotes = notes;
    }

    /// <summary>closed → open: the incident is worked again (its earlier outcome stays in the status history).</summary>
    public void Reopen()
    {
        if (Status != IncidentStatus.Closed)
            throw new DomainRuleException($"Only a closed incident can be reopened; this one is {Status}.");
        Status = IncidentStatus.Open;
        ClosedAt = null;
        ClosedBy = null;
        Outcome = null;
        OutcomeNotes = null;
    }

    /// <summary>A person's after-the-fact change of classification and/or location; a closed incident's outcome must fit the new kind.</summary>
    /// <returns>The changed fields (field, before, after).</returns>
    public List<(string Field, string Before, string After)> Correct(string? kind, double? latitude, double? longitude)
    {
        var changes = new List<(string, string, string)>();
        if (kind is not null && kind != Kind)
        {
            if (Status == IncidentStatus.Closed && IncidentOutcomes.For(kind).All(o => o.Code != Outcome))
                throw new DomainRuleException($"The incident was closed as '{Outcome}', which is not an outcome of a {kind} incident: reopen it first.");
            changes.Add((IncidentCorrection.KindField, Kind, kind));
            Kind = kind;
            // The title was the first report's words ("Gunshots detected (10 rounds)"): it now leads with what the incident is, and keeps
            // what it was first reported as (once, however often the kind is corrected).
            Retitle(IncidentKinds.Label(kind), FirstReport ?? Title);
        }
        if (latitude is { } lat && longitude is { } lon && !IncidentPlace.Same(Latitude, Longitude, lat, lon))
        {
            changes.Add((IncidentCorrection.LocationField, Where(Latitude, Longitude), Where(lat, lon)));
            Latitude = lat;
            Longitude = lon;
            Location = GeoMath.Point(lat, lon);
        }
        if (changes.Count == 0)
            throw new DomainRuleException("Nothing changes: the incident already has that kind and location.", 400);
        return changes;
    }

    /// <summary>What the incident was first reported as, when its kind was corrected since (the end of its title); else null.</summary>
    private string? FirstReport => Title.IndexOf(ReportedAs, StringComparison.Ordinal) is var at and >= 0 ? Title[(at + ReportedAs.Length)..] : null;

    /// <summary>
    /// The title becomes <paramref name="words"/> (a gunshot incident's rounds so far, say), followed by what it was first reported as when
    /// its kind was corrected: a citizen's report corrected to gunfire and then joined by detected shots keeps "— first reported as: …".
    /// </summary>
    public void Retitle(string words, string? firstReport = null)
    {
        var first = firstReport ?? FirstReport;
        Title = TextLimit.Cut(first is null ? words : $"{words}{ReportedAs}{first}", TitleLength);
    }

    /// <summary>Between a corrected incident's kind and the words it was first reported with, in its title.</summary>
    internal const string ReportedAs = " — first reported as: ";

    internal const int TitleLength = 200;

    private static string Where(double lat, double lon) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{lat:0.000000}, {lon:0.000000}");

    public void AddShots(int rounds, DateTimeOffset at)
    {
        Rounds += rounds;
        Detections++;
        if (at > LastActivityAt)
            LastActivityAt = at;
    }

    /// <summary>The same subject seen again (a listed vehicle read by another reader): the marker follows the newest report.</summary>
    /// <returns>Whether the incident moved to this place (a read older than the last activity counts but does not move it).</returns>
    public bool SeenAgain(double latitude, double longitude, DateTimeOffset at)
    {
        Detections++;
        if (at < LastActivityAt)
            return false;
        LastActivityAt = at;
        Latitude = latitude;
        Longitude = longitude;
        Location = GeoMath.Point(latitude, longitude);
        return true;
    }

    public IncidentDto ToDto() => new(Id, Kind, Status, Title, Latitude, Longitude, OpenedAt, LastActivityAt, Rounds, Detections, Source,
        AcknowledgedAt, AcknowledgedBy, ClosedAt, ClosedBy, Outcome, OutcomeNotes, District);
}

/// <summary>Which incident each gunshot detection opened or joined (also what makes the reaction idempotent).</summary>
internal sealed class IncidentDetection
{
    public Guid DetectionId { get; init; }
    public Guid IncidentId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public int Rounds { get; init; }
    public double? UncertaintyMeters { get; init; }
}

internal sealed class TimelineEntry
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Module { get; init; }
    /// <summary>Changed only by <see cref="Correct"/> (kept in <see cref="IncidentCorrection"/>).</summary>
    public required string Kind { get; set; }

    /// <summary>One line for command staff; a longer report is cut to <see cref="MaxText"/> characters, ending with "…".</summary>
    public required string Text { get => text; init => text = TextLimit.Cut(value, MaxText); }

    public const int MaxText = TextLimit.Line;
    private readonly string text = "";

    public TimelineEntryDto ToDto() => new(Id, IncidentId, At, Module, Kind, Text);
}

/// <summary>One status change of an incident (and the outcome given on close), appended and never changed: the accountability record.</summary>
internal sealed class IncidentStatusChange
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public DateTimeOffset At { get; init; }
    public required string By { get; init; }
    public required string FromStatus { get; init; }
    public required string ToStatus { get; init; }
    public string? Outcome { get; init; }
    public string? Notes { get; init; }

    public IncidentStatusChangeDto ToDto() => new(Id, IncidentId, At, By, FromStatus, ToStatus, Outcome, Notes);
}

/// <summary>A note by staff on an incident; appended, never changed.</summary>
internal sealed class IncidentNote
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public DateTimeOffset At { get; init; }
    public required string By { get; init; }
    public required string Text { get; init; }

    public IncidentNoteDto ToDto() => new(Id, IncidentId, At, By, Text);
}
