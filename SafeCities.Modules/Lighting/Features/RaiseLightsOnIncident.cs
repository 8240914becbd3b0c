using System.Globalization;
using Hangfire;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Darkness;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
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
/// When a person corrects the location of an incident whose raise is still on (or found no light, or none answered), the lights around
/// the corrected place are raised too, until the incident's raise ends; those raised at the first location stay raised until then
/// (ADR 0067). Once per relocation (its report's id is fixed by the relocation).
/// </summary>
internal sealed class RaiseLightsOnIncidentHandler(LightingDbContext db, LevelCommands levels, IBackgroundJobClient jobs, LateReactions late,
    TimeProvider clock, ILogger<RaiseLightsOnIncidentHandler> logger) : INotificationHandler<IncidentOpenedEvent>, INotificationHandler<IncidentRelocatedEvent>
{
    public async ValueTask Handle(IncidentOpenedEvent opened, CancellationToken cancellationToken)
    {
        if (await db.IncidentLighting.AnyAsync(i => i.IncidentId == opened.IncidentId, cancellationToken))
            return;
        var settings = await ReactionSettingsStore.CurrentAsync(db, cancellationToken);
        if (!settings.TriggerKinds.Contains(opened.Kind))
            return;

        IncidentLighting decision;
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await LightingLocks.LevelsAsync(db, cancellationToken);
            if (await db.IncidentLighting.AnyAsync(i => i.IncidentId == opened.IncidentId, cancellationToken))
                return; // decided concurrently (dispatcher and sweep); that run wrote its reports
            try
            {
                // Delivered late (a retry, the sweep after a crash): the incident where it is now; none raised only to go back once it stood down.
                var (incident, standDown) = await late.AsNowAsync(opened, settings.TriggerKinds, cancellationToken);
                if (standDown is not null)
                {
                    await db.SayNotReactedAsync(standDown, LightingReports.Module, ReportKinds.LightsNotRaised, "lights not raised", clock.GetUtcNow(),
                        cancellationToken);
                    await tx.CommitAsync(cancellationToken);
                    return;
                }
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

        await ScheduleRestoreAsync(decision, cancellationToken);
    }

    public async ValueTask Handle(IncidentRelocatedEvent moved, CancellationToken cancellationToken)
    {
        var settings = await ReactionSettingsStore.CurrentAsync(db, cancellationToken);
        if (!settings.TriggerKinds.Contains(moved.Kind) || await late.StandDownInForceAsync(moved.IncidentId, settings.TriggerKinds, cancellationToken) is not null)
            return;   // …or delivered late to an incident stood down meanwhile
        var reportId = StableId.Of($"lighting-relocation:{moved.RelocationId}");
        IncidentLighting decision;
        bool schedule;
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await LightingLocks.LevelsAsync(db, cancellationToken);
            // Only a reaction still on: raised and not restored, or nothing raised because no light was in range or none answered (the
            // opening's daylight or lateness holds at the corrected place too). Once per relocation.
            if (await db.IncidentLighting.SingleOrDefaultAsync(i => i.IncidentId == moved.IncidentId, cancellationToken) is not { RestoredAt: null } found
                || found.Outcome is LightingOutcomes.Daylight or LightingOutcomes.Stale
                || IncidentPlace.Same(found.Latitude, found.Longitude, moved.Latitude, moved.Longitude)
                || await db.HasOutboxMessageAsync(reportId, cancellationToken))
                return;
            decision = found;
            try
            {
                schedule = await RelocateAsync(moved, decision, settings, reportId, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        }
        if (schedule)
            await ScheduleRestoreAsync(decision, cancellationToken);
    }

    /// <summary>The restore of the incident's lights when they are due (Hangfire, persisted; the overdue sweep if it never runs).</summary>
    private async Task ScheduleRestoreAsync(IncidentLighting decision, CancellationToken ct)
    {
        if (decision.RestoreDueAt is not { } due)
            return;
        var delay = due - clock.GetUtcNow();
        var incidentId = decision.IncidentId;
        decision.RestoreJobId = jobs.Schedule<RestoreLightsJob>(j => j.RunAsync(incidentId, CancellationToken.None),
            delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Lights for incident {IncidentId} raised; restore job {JobId} due {Due:O}", incidentId, decision.RestoreJobId, due);
    }

    /// <returns>Whether a restore must now be scheduled (lights raised where none had been).</returns>
    private async Task<bool> RelocateAsync(IncidentRelocatedEvent moved, IncidentLighting decision, LightingReactionSettingsDto settings, Guid reportId,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        (decision.Latitude, decision.Longitude) = (moved.Latitude, moved.Longitude);
        var until = decision.RestoreDueAt ?? decision.DecidedAt + TimeSpan.FromMinutes(settings.DurationMinutes);
        // The decision's summary (the incident page's Streetlights section) becomes what is now the case, as the report says it.
        void Say(string kind, string text) =>
            db.Report(moved.IncidentId, kind, decision.Summary = TextLimit.Cut("Location corrected: " + text, 1000), now, reportId);
        if (until <= now)
        {
            Say(ReportKinds.LightingSkipped, "lights not raised there, the incident's raise would already have ended.");
            return false;
        }
        var here = GeoMath.Point(moved.Latitude, moved.Longitude);
        var lights = await db.Streetlights.Where(l => l.Location.IsWithinDistance(here, decision.RadiusMeters)).OrderBy(l => l.Name).ToListAsync(ct);
        var raised = (await db.Raises.Where(r => r.IncidentId == moved.IncidentId && r.EndedAt == null).Select(r => r.LightId).ToListAsync(ct)).ToHashSet();
        var firstPlace = raised.Count(id => !lights.Exists(l => l.Id == id));
        var stay = firstPlace > 0 ? $"; {LightingText.Lights(firstPlace)} raised at the first location {Plural.Word(firstPlace, "stays", "stay")} raised until then" : "";
        var fresh = lights.Where(l => !raised.Contains(l.Id)).ToList();
        if (fresh.Count == 0)
        {
            Say(ReportKinds.LightingSkipped, lights.Count == 0
                ? $"no streetlights within {decision.RadiusMeters} m of the corrected location to raise{stay}."
                : $"the {LightingText.Lights(lights.Count)} within {decision.RadiusMeters} m of it were already raised for this incident.");
            return false;
        }
        var (outcomes, _, _) = await RaiseAsync(moved.IncidentId, fresh, decision.LevelPercent, _ => until, ct);
        var ok = outcomes.Count(o => o.Succeeded);
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        if (ok > 0)
            Say(ReportKinds.LightsBrightened, $"{LightingText.Lights(ok)} within {decision.RadiusMeters} m of it raised to {decision.LevelPercent} % for the "
                + $"{DarknessCheck.Span(until - now)} the incident's raise has left" + (failed.Count > 0 ? $"; {failed.Count} did not respond" : "") + stay + ".");
        else
            Say(ReportKinds.LightingFailed, $"none of the {LightingText.Lights(fresh.Count)} within {decision.RadiusMeters} m of it answered its controller{stay}.");
        if (failed.Count > 0 && ok > 0)
            db.Report(moved.IncidentId, ReportKinds.LightingFailed, FailedText(failed, outcomes.Count), now.AddTicks(10));
        var schedule = ok > 0 && decision.RestoreDueAt is null;
        if (ok > 0)
            (decision.Outcome, decision.RestoreDueAt) = (LightingOutcomes.Raised, until);
        return schedule;
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

        var (outcomes, raisedAt, due) = await RaiseAsync(incident.IncidentId, lights, settings.LevelPercent, at => at + duration, ct);
        var raised = outcomes.Where(o => o.Succeeded).ToList();
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        var summary = raised.Count > 0
            ? $"{LightingText.Lights(raised.Count)} within {settings.RadiusMeters} m raised to {settings.LevelPercent} % for {DarknessCheck.Span(due - raisedAt)}"
              + (failed.Count > 0 ? $"; {failed.Count} did not respond" : "") + "."
            : $"None of the {LightingText.Lights(lights.Count)} within {settings.RadiusMeters} m answered its controller; nothing was raised.";
        if (raised.Count > 0)
            db.Report(incident.IncidentId, ReportKinds.LightsBrightened, summary, clock.GetUtcNow());
        if (failed.Count > 0)
            db.Report(incident.IncidentId, ReportKinds.LightingFailed, FailedText(failed, outcomes.Count), clock.GetUtcNow());
        return raised.Count > 0
            ? Decision(LightingOutcomes.Raised, summary, due)
            : Decision(LightingOutcomes.Failed, summary);
    }

    private static string FailedText(List<LevelOutcome> failed, int of) =>
        $"Could not raise {failed.Count} of {LightingText.Lights(of)} after {failed.Max(f => f.Attempts)} tries: "
        + LightingText.Names(failed.Select(f => $"{f.Light.Name} ({f.Error})"), 5) + ".";

    /// <summary>
    /// Sends each light to the incident's level (or higher, if another raise or its normal level asks for more) and records a raise per light,
    /// due back at <paramref name="dueAfter"/> the time the commands were done.
    /// </summary>
    private async Task<(IReadOnlyList<LevelOutcome> Outcomes, DateTimeOffset RaisedAt, DateTimeOffset Due)> RaiseAsync(Guid incidentId,
        List<Streetlight> lights, int levelPercent, Func<DateTimeOffset, DateTimeOffset> dueAfter, CancellationToken ct)
    {
        var ids = lights.Select(l => l.Id).ToList();
        var otherRaises = await db.Raises.Where(r => r.EndedAt == null && ids.Contains(r.LightId))
            .GroupBy(r => r.LightId).Select(g => new { LightId = g.Key, Level = g.Max(r => r.Level) }).ToDictionaryAsync(g => g.LightId, g => g.Level, ct);
        var faulty = (await db.WorkOrders.Where(w => w.ClosedAt == null && ids.Contains(w.LightId)).Select(w => w.LightId).Distinct().ToListAsync(ct)).ToHashSet();
        var targets = lights.Select(l => (l, Math.Max(levelPercent, Math.Max(l.NormalLevel, otherRaises.GetValueOrDefault(l.Id))))).ToList();

        var outcomes = await levels.ApplyAsync(db, targets, LevelReasons.IncidentRaise, incidentId, ct);
        var raisedAt = clock.GetUtcNow();
        var due = dueAfter(raisedAt);
        foreach (var outcome in outcomes)
        {
            db.Raises.Add(new LightRaise
            {
                Id = Guid.CreateVersion7(), IncidentId = incidentId, LightId = outcome.Light.Id, Level = outcome.Level, RaisedAt = raisedAt, Until = due,
                Status = outcome.Succeeded ? RaiseStatuses.Raised : RaiseStatuses.Failed, EndedAt = outcome.Succeeded ? null : raisedAt,
                Error = Truncate(outcome.Error),
            });
            if (outcome.Succeeded)
                outcome.Light.RefreshState(faulty.Contains(outcome.Light.Id), isRaised: true);
        }
        return (outcomes, raisedAt, due);
    }

    private static string Age(TimeSpan age) => age.TotalHours >= 1
        ? $"{(int)age.TotalHours} h {age.Minutes} min"
        : $"{Math.Floor(age.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min";

    internal static string? Truncate(string? text) => TextLimit.Cut(text, 500);
}

/// <summary>
/// After every reaction to an opening (<see cref="IRunsAfterReactions"/>: it delays none of them), an incident closed or reclassified while its
/// lights went up has them restored now: its stand-down, delivered meanwhile, found nothing raised yet (ADR 0068, amended). Nothing to do
/// unless a raise is on for it.
/// </summary>
internal sealed class RestoreLightsRaisedAsItStoodDownHandler(LightingDbContext db, LateReactions late, ISender sender) : INotificationHandler<IncidentOpenedEvent>, IRunsAfterReactions
{
    public async ValueTask Handle(IncidentOpenedEvent opened, CancellationToken cancellationToken)
    {
        if (await db.IncidentLighting.AnyAsync(i => i.IncidentId == opened.IncidentId && i.RestoredAt == null && i.RestoreDueAt != null, cancellationToken)
            && await late.StandDownInForceAsync(opened.IncidentId, (await ReactionSettingsStore.CurrentAsync(db, cancellationToken)).TriggerKinds,
                cancellationToken) is { } standDown)
            await sender.Send(new RestoreIncidentLightsCommand(opened.IncidentId, standDown.Why), cancellationToken);
    }
}
