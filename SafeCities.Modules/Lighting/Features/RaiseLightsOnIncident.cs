using System.Globalization;
using Hangfire;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Darkness;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Text;

namespace SafeCities.Modules.Lighting.Features;

internal static class LightingLocks
{
    public static async Task LevelsAsync(LightingDbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.LightingLevels})", ct);
}

/// <summary>Wording shared by the timeline reports.</summary>
internal static class LightingText
{
    public static string Names(IEnumerable<string> names, int max = 10)
    {
        var list = names.ToList();
        return list.Count <= max ? string.Join(", ", list) : $"{string.Join(", ", list.Take(max))} and {list.Count - max} more";
    }

    public static string Lights(int n) => Plural.Count(n, "light");
}

/// <summary>
/// Lighting's reaction to a new incident of a configured kind: when it is dark there (sun more than 6° below the horizon at the
/// incident's time), every light within the radius goes to the configured level through the driver, and a restore is scheduled
/// (Hangfire, persisted) and recorded (due time, for the overdue sweep). Idempotent per incident: a repeat only re-sends
/// reports a crash left unpublished. A light that does not answer is retried, then reported; it never stops the others.
/// </summary>
internal sealed class RaiseLightsOnIncidentHandler(LightingDbContext db, LevelCommands levels, IBackgroundJobClient jobs,
    TimeProvider clock, ILogger<RaiseLightsOnIncidentHandler> logger) : INotificationHandler<IncidentOpenedEvent>
{
    public async ValueTask Handle(IncidentOpenedEvent incident, CancellationToken cancellationToken)
    {
        if (await db.IncidentLighting.AnyAsync(i => i.IncidentId == incident.IncidentId, cancellationToken))
            return;
        var settings = await ReactionSettingsStore.CurrentAsync(db, cancellationToken);
        if (!settings.TriggerKinds.Contains(incident.Kind))
            return;

        IncidentLighting decision;
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await LightingLocks.LevelsAsync(db, cancellationToken);
            if (await db.IncidentLighting.AnyAsync(i => i.IncidentId == incident.IncidentId, cancellationToken))
                return; // decided concurrently (dispatcher and sweep); that run wrote its reports
            try
            {
                decision = await DecideAsync(incident, settings, cancellationToken);
                db.IncidentLighting.Add(decision);
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
            catch
            {
                db.ChangeTracker.Clear(); // the scope may live on (a sweep); nothing half-done may be saved later
                throw;
            }
        }

        if (decision.RestoreDueAt is { } due)
        {
            var delay = due - clock.GetUtcNow();
            var incidentId = incident.IncidentId;
            decision.RestoreJobId = jobs.Schedule<RestoreLightsJob>(j => j.RunAsync(incidentId, CancellationToken.None),
                delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Lights for incident {IncidentId} raised; restore job {JobId} due {Due:O}", incident.IncidentId, decision.RestoreJobId, due);
        }
    }

    private async Task<IncidentLighting> DecideAsync(IncidentOpenedEvent incident, LightingReactionSettingsDto settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var duration = TimeSpan.FromMinutes(settings.DurationMinutes);
        IncidentLighting Decision(string outcome, string summary, DateTimeOffset? due = null) => new()
        {
            IncidentId = incident.IncidentId, Kind = incident.Kind, Latitude = incident.Latitude, Longitude = incident.Longitude,
            OccurredAt = incident.OccurredAt, DecidedAt = now, Outcome = outcome, Summary = summary, RadiusMeters = settings.RadiusMeters,
            LevelPercent = settings.LevelPercent, RestoreDueAt = due,
        };
        IncidentLighting Skip(string outcome, string text)
        {
            db.Report(incident.IncidentId, ReportKinds.LightingSkipped, text, clock.GetUtcNow());
            return Decision(outcome, text);
        }

        var age = now - incident.OccurredAt;
        if (age > duration)
            return Skip(LightingOutcomes.Stale,
                $"Lights not raised: the incident happened {Age(age)} ago, longer than the {settings.DurationMinutes}-minute raise would last (the reaction ran late).");
        var darkness = DarknessCheck.Evaluate(incident.Latitude, incident.Longitude, incident.OccurredAt);
        if (!darkness.IsDark)
            return Skip(LightingOutcomes.Daylight, $"{darkness.Reason}: lights not raised.");

        var here = GeoMath.Point(incident.Latitude, incident.Longitude);
        var lights = await db.Streetlights.Where(l => l.Location.IsWithinDistance(here, settings.RadiusMeters)).OrderBy(l => l.Name).ToListAsync(ct);
        if (lights.Count == 0)
            return Skip(LightingOutcomes.NoLights, $"No streetlights within {settings.RadiusMeters} m to raise (it is dark there: {darkness.Sun}).");

        var ids = lights.Select(l => l.Id).ToList();
        var otherRaises = await db.Raises.Where(r => r.EndedAt == null && ids.Contains(r.LightId))
            .GroupBy(r => r.LightId).Select(g => new { LightId = g.Key, Level = g.Max(r => r.Level) }).ToDictionaryAsync(g => g.LightId, g => g.Level, ct);
        var faulty = (await db.WorkOrders.Where(w => w.ClosedAt == null && ids.Contains(w.LightId)).Select(w => w.LightId).Distinct().ToListAsync(ct)).ToHashSet();
        var targets = lights.Select(l => (l, Math.Max(settings.LevelPercent, Math.Max(l.NormalLevel, otherRaises.GetValueOrDefault(l.Id))))).ToList();

        var outcomes = await levels.ApplyAsync(db, targets, LevelReasons.IncidentRaise, incident.IncidentId, ct);
        var raisedAt = clock.GetUtcNow();
        var due = raisedAt + duration;
        foreach (var outcome in outcomes)
        {
            db.Raises.Add(new LightRaise
            {
                Id = Guid.CreateVersion7(), IncidentId = incident.IncidentId, LightId = outcome.Light.Id, Level = outcome.Level, RaisedAt = raisedAt, Until = due,
                Status = outcome.Succeeded ? RaiseStatuses.Raised : RaiseStatuses.Failed, EndedAt = outcome.Succeeded ? null : raisedAt,
                Error = Truncate(outcome.Error),
            });
            if (outcome.Succeeded)
                outcome.Light.RefreshState(faulty.Contains(outcome.Light.Id), isRaised: true);
        }

        var raised = outcomes.Where(o => o.Succeeded).ToList();
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        var summary = raised.Count > 0
            ? $"{LightingText.Lights(raised.Count)} within {settings.RadiusMeters} m raised to {settings.LevelPercent} % for {DarknessCheck.Span(due - raisedAt)}"
              + (failed.Count > 0 ? $"; {failed.Count} did not respond" : "") + "."
            : $"None of the {LightingText.Lights(lights.Count)} within {settings.RadiusMeters} m answered its controller; nothing was raised.";
        if (raised.Count > 0)
            db.Report(incident.IncidentId, ReportKinds.LightsBrightened, summary, clock.GetUtcNow());
        if (failed.Count > 0)
            db.Report(incident.IncidentId, ReportKinds.LightingFailed,
                $"Could not raise {failed.Count} of {LightingText.Lights(outcomes.Count)} after {failed.Max(f => f.Attempts)} tries: "
                + LightingText.Names(failed.Select(f => $"{f.Light.Name} ({f.Error})"), 5) + ".", clock.GetUtcNow());
        return raised.Count > 0
            ? Decision(LightingOutcomes.Raised, summary, due)
            : Decision(LightingOutcomes.Failed, summary);
    }

    private static string Age(TimeSpan age) => age.TotalHours >= 1
        ? $"{(int)age.TotalHours} h {age.Minutes} min"
        : $"{Math.Floor(age.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min";

    internal static string? Truncate(string? text) => TextLimit.Cut(text, 500);
}
