using SafeCities.Modules.Shared.Text;
using Hangfire;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// When an incident opens, queues the automatic co-location (<see cref="AutomaticColocationJob"/>) as a background job: it reads weeks of
/// plate reads, so it must not hold up the outbox worker that delivers the opening, nor the deliveries of other incidents' reactions behind
/// it (ADR 0042). The job is stored in PostgreSQL (Hangfire) before the opening is marked delivered, so a crash does not lose it.
/// Not for hotlist hits: the hit already names its vehicle, and linking hits to other hits only put the same listed vehicles on every
/// hit's timeline (and a system search in the audit per hit). When command staff correct the incident's location, the co-location runs again
/// around the corrected place (ADR 0067): the vehicles the sensors' first fix could not find may be those seen where it happened.
/// </summary>
internal sealed class ColocateVehiclesOnIncidentOpenedHandler(IBackgroundJobClient jobs)
    : INotificationHandler<IncidentOpenedEvent>, INotificationHandler<IncidentRelocatedEvent>
{
    public ValueTask Handle(IncidentOpenedEvent e, CancellationToken cancellationToken)
    {
        if (e.Kind != IncidentKinds.HotlistHit)
            jobs.Enqueue<AutomaticColocationJob>(j => j.RunAsync(e.IncidentId, e.Kind, e.Latitude, e.Longitude, e.OccurredAt, CancellationToken.None));
        return ValueTask.CompletedTask;
    }

    public ValueTask Handle(IncidentRelocatedEvent e, CancellationToken cancellationToken)
    {
        if (e.Kind != IncidentKinds.HotlistHit)
            jobs.Enqueue<AutomaticColocationJob>(j => j.RunAtCorrectedPlaceAsync(e.RelocationId, e.IncidentId, e.Kind, e.Latitude, e.Longitude, e.OccurredAt,
                CancellationToken.None));
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Runs the co-location against the related incidents still open (same kind, last 30 days, within <see cref="RelatedWithinMeters"/>) and
/// puts the strong matches (seen near this incident and at least one related one, score at least <see cref="StrongScore"/>) on its timeline
/// (Plates' outbox). Audited as <c>system</c> with the incident as purpose. Given <see cref="PlatesOptions.AutomaticColocationSeconds"/>: on
/// a busy city an analysis that takes longer is abandoned (logged), not retried — it would only take the database from the live work again.
/// </summary>
internal sealed class AutomaticColocationJob(ISender sender, PlatesDbContext db, TimeProvider clock, IOptions<PlatesOptions> options,
    ILogger<AutomaticColocationJob> logger)
{
    public const double RelatedWithinMeters = 20_000;
    public const int RadiusMeters = 500;
    public const int WindowMinutes = 15;
    /// <summary>About two places where the vehicle passes on at most two days a month: ln(29/3)·2 ≈ 4.5.</summary>
    public const double StrongScore = 4.0;

    public Task RunAsync(Guid incidentId, string kind, double latitude, double longitude, DateTimeOffset occurredAt, CancellationToken cancellationToken) =>
        RunAsync(new Run(ReactionId(incidentId), "", $"Automatic co-location for incident {incidentId}"), incidentId, kind, latitude, longitude, occurredAt,
            cancellationToken);

    /// <summary>The co-location again around an incident's corrected place (ADR 0067): reported once per relocation, "Location corrected: …".</summary>
    public Task RunAtCorrectedPlaceAsync(Guid relocationId, Guid incidentId, string kind, double latitude, double longitude, DateTimeOffset occurredAt,
        CancellationToken cancellationToken) =>
        RunAsync(new Run(StableId.Of($"plates-colocation-relocation:{relocationId}"), "Location corrected: ",
            $"Automatic co-location for incident {incidentId} at its corrected location"), incidentId, kind, latitude, longitude, occurredAt, cancellationToken);

    /// <param name="ReportId">The timeline report's id, fixed by what caused the run, so that a run again reports nothing twice.</param>
    /// <param name="Prefix">What the report begins with.</param>
    /// <param name="Purpose">The audited purpose of the search.</param>
    private sealed record Run(Guid ReportId, string Prefix, string Purpose);

    private async Task RunAsync(Run run, Guid incidentId, string kind, double latitude, double longitude, DateTimeOffset occurredAt,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(options.Value.AutomaticColocationSeconds));
        try
        {
            await ColocateAsync(run, incidentId, kind, latitude, longitude, occurredAt, limit.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (limit.IsCancellationRequested)
                logger.LogWarning("Automatic co-location for incident {IncidentId} took longer than {Seconds} s and was abandoned", incidentId,
                    options.Value.AutomaticColocationSeconds);
            else
                logger.LogError(ex, "Automatic co-location for incident {IncidentId} failed", incidentId);
        }
    }

    private async Task ColocateAsync(Run run, Guid incidentId, string kind, double latitude, double longitude, DateTimeOffset occurredAt, CancellationToken ct)
    {
        // The job waits behind others on a busy city, and its opening may have been delivered late: closed before it ran, no search of people's
        // movements for an incident that is over; moved since (a corrected location), the run the relocation queued searches from where it is now.
        switch (await sender.Send(new GetIncidentNowQuery(incidentId), ct))
        {
            case { StandDown.Closed: true }:
                logger.LogInformation("Automatic co-location for incident {IncidentId} not run: closed before it ran", incidentId);
                return;
            case { } now when !IncidentPlace.Same(now.Latitude, now.Longitude, latitude, longitude):
                logger.LogInformation("Automatic co-location for incident {IncidentId} not run at {Latitude}, {Longitude}: it has been moved since", incidentId,
                    latitude, longitude);
                return;
        }
        var related = await sender.Send(new ListOpenIncidentsNearQuery(latitude, longitude, RelatedWithinMeters, occurredAt.AddDays(-30),
            occurredAt.AddMinutes(1), [kind], incidentId, 19), ct);
        if (related.Count == 0)
            return;
        var places = new List<ColocationPlaceDto> { new(latitude, longitude, occurredAt) };
        places.AddRange(related.Select(i => new ColocationPlaceDto(i.Latitude, i.Longitude, i.OpenedAt)));
        var result = await sender.Send(new ColocationCommand("system", null, run.Purpose, places, RadiusMeters,
            WindowMinutes, 2, 20), ct);
        var strong = result.Vehicles.Where(v => v.MatchedIncidents.Contains(0) && v.Score >= StrongScore).Take(5).ToList();
        if (strong.Count == 0)
            return;
        var text = $"{run.Prefix}{Plural.Count(strong.Count, "vehicle")} also seen near related open incidents: " + string.Join("; ", strong.Select(v =>
            $"{v.Plate} ({v.Region}) near {v.MatchedIncidents.Count - 1} other" + " (" + string.Join(", ", v.MatchedIncidents.Where(i => i > 0)
                .Select(i => related[i - 1].Title + " " + Earlier(occurredAt - related[i - 1].OpenedAt))) + ")"));
        if (await db.HasOutboxMessageAsync(run.ReportId, ct))
            return; // reported by an earlier run (the opening or the relocation delivered twice)
        db.AddOutboxMessage(PlatesReports.Colocated(run.ReportId, incidentId, clock.GetUtcNow(), text), run.ReportId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>How long before this incident a related one opened ("40 min earlier", "5 h earlier", "3 days earlier"): no clock to read in a
    /// time zone.</summary>
    internal static string Earlier(TimeSpan before) => before < TimeSpan.FromHours(1)
        ? $"{Math.Max(0, Math.Round(before.TotalMinutes)):0} min earlier"
        : before < TimeSpan.FromHours(48) ? $"{Math.Round(before.TotalHours):0} h earlier" : $"{Math.Round(before.TotalDays):0} days earlier";

    /// <summary>Fixed per incident, so a re-published opening reports the co-location once.</summary>
    private static Guid ReactionId(Guid incidentId) => StableId.Of($"plates-colocation:{incidentId}");
}
