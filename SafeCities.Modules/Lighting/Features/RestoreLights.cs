using Hangfire;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;

namespace SafeCities.Modules.Lighting.Features;

/// <summary>Ends an incident's raise: each light goes back to its normal level, or to the highest level another active raise still asks for.</summary>
/// <param name="Why">Given when the raise ends before it is due (the incident stood down, ADR 0068): the report begins with it, and a light that
/// does not answer is retried by the overdue sweep from now on.</param>
internal sealed record RestoreIncidentLightsCommand(Guid IncidentId, string? Why = null) : ICommand<int>;

internal sealed class RestoreIncidentLightsCommandHandler(LightingDbContext db, LevelCommands levels, IOptions<LightingDriverOptions> options,
    TimeProvider clock, IBackgroundJobClient jobs) : ICommandHandler<RestoreIncidentLightsCommand, int>
{
    /// <returns>How many of the incident's lights were released in this run.</returns>
    public async ValueTask<int> Handle(RestoreIncidentLightsCommand command, CancellationToken cancellationToken)
    {
        // Nothing to restore (none raised — daylight, none in range or answering: nothing is due — or restored already) takes no lock: most
        // incidents a stand-down reaches raised nothing. Checked again under the lock.
        if (!await db.IncidentLighting.AnyAsync(i => i.IncidentId == command.IncidentId && i.RestoredAt == null && i.RestoreDueAt != null,
                cancellationToken))
            return 0;
        int released;
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await LightingLocks.LevelsAsync(db, cancellationToken);
            var decision = await db.IncidentLighting.SingleOrDefaultAsync(i => i.IncidentId == command.IncidentId, cancellationToken);
            if (decision is null || decision.RestoredAt is not null || decision.RestoreDueAt is null)
                return 0;
            try
            {
                released = await RestoreAsync(decision, command.Why, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
            catch
            {
                db.ChangeTracker.Clear(); // the scope may live on (the sweep); nothing half-done may be saved later
                throw;
            }
            // Restored before it was due (a stand-down): the job scheduled for the due time has nothing left to do.
            if (command.Why is not null && decision.RestoredAt is not null && decision.RestoreJobId is { } job)
                jobs.Delete(job);
        }
        return released;
    }

    private async Task<int> RestoreAsync(IncidentLighting decision, string? why, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (why is not null && decision.RestoreDueAt > now)
            decision.RestoreDueAt = now;   // due now: the sweep retries a light that does not answer, as for a raise that ran its time
        var active = await db.Raises.Where(r => r.IncidentId == decision.IncidentId && r.EndedAt == null).ToListAsync(ct);
        var ids = active.Select(r => r.LightId).ToList();
        var lights = await db.Streetlights.Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        var others = await db.Raises.Where(r => r.EndedAt == null && r.IncidentId != decision.IncidentId && ids.Contains(r.LightId))
            .GroupBy(r => r.LightId).Select(g => new { LightId = g.Key, Level = g.Max(r => r.Level) }).ToDictionaryAsync(g => g.LightId, g => g.Level, ct);
        var faulty = (await db.WorkOrders.Where(w => w.ClosedAt == null && ids.Contains(w.LightId)).Select(w => w.LightId).Distinct().ToListAsync(ct)).ToHashSet();

        int Target(Streetlight light) => others.TryGetValue(light.Id, out var level) ? Math.Max(level, light.NormalLevel) : light.NormalLevel;
        var toCommand = active.Where(r => lights.ContainsKey(r.LightId) && lights[r.LightId].CurrentLevel != Target(lights[r.LightId]))
            .Select(r => (lights[r.LightId], Target(lights[r.LightId]))).ToList();
        var outcomes = (await levels.ApplyAsync(db, toCommand, LevelReasons.IncidentRestore, decision.IncidentId, ct)).ToDictionary(o => o.Light.Id);

        var restored = new List<Streetlight>();
        var failedFirst = new List<(Streetlight Light, string? Error)>();
        var abandoned = new List<Streetlight>();
        foreach (var raise in active)
        {
            if (!lights.TryGetValue(raise.LightId, out var light))
            {
                raise.Status = RaiseStatuses.Restored; // the light was removed from the registry
                raise.EndedAt = now;
                continue;
            }
            if (outcomes.TryGetValue(light.Id, out var outcome) && !outcome.Succeeded)
            {
                raise.RestoreAttempts++;
                raise.Error = RaiseLightsOnIncidentHandler.Truncate(outcome.Error);
                if (raise.RestoreAttempts == 1)
                    failedFirst.Add((light, outcome.Error));
                if (raise.RestoreAttempts >= options.Value.MaxRestoreAttempts)
                {
                    raise.Status = RaiseStatuses.Abandoned;
                    raise.EndedAt = now;
                    abandoned.Add(light);
                }
                continue;
            }
            raise.Status = RaiseStatuses.Restored;
            raise.EndedAt = now;
            light.RefreshState(faulty.Contains(light.Id), others.ContainsKey(light.Id));
            restored.Add(light);
        }
        if (active.All(r => r.EndedAt is not null))
            decision.RestoredAt = now;

        if (restored.Count > 0)
        {
            var kept = restored.Count(l => others.ContainsKey(l.Id));
            var normal = restored.Count - kept;
            var text = kept == 0
                ? $"{LightingText.Lights(normal)} back to normal level."
                : $"{LightingText.Lights(restored.Count)} released: {normal} back to normal level, {kept} kept raised for another incident.";
            db.Report(decision.IncidentId, ReportKinds.LightsRestored, why is null ? text : $"{why}: {char.ToLowerInvariant(text[0])}{text[1..]}", clock.GetUtcNow());
        }
        if (failedFirst.Count > 0)
            db.Report(decision.IncidentId, ReportKinds.LightingFailed,
                $"Could not restore {LightingText.Lights(failedFirst.Count)} after {options.Value.Attempts} tries: "
                + LightingText.Names(failedFirst.Select(f => $"{f.Light.Name} ({f.Error})"), 5) + "; retrying every minute.", clock.GetUtcNow());
        if (abandoned.Count > 0)
            db.Report(decision.IncidentId, ReportKinds.LightingFailed,
                $"Gave up restoring {LightingText.Names(abandoned.Select(l => l.Name))} after {options.Value.MaxRestoreAttempts} attempts; "
                + "they may still be bright and need a maintenance visit.", clock.GetUtcNow());
        return restored.Count + abandoned.Count;
    }
}

/// <summary>
/// An incident stood down (closed, or its kind corrected to one Lighting does not react to; ADR 0068): the lights still raised for it go back
/// now rather than when the raise was due. Once: a restored raise is not restored again (a delivery again finds nothing to do).
/// </summary>
internal sealed class StandDownLightsOnIncidentHandler(LightingDbContext db, ISender sender) : INotificationHandler<IncidentStandDownEvent>
{
    public async ValueTask Handle(IncidentStandDownEvent e, CancellationToken cancellationToken)
    {
        if (e.Applies((await ReactionSettingsStore.CurrentAsync(db, cancellationToken)).TriggerKinds))
            await sender.Send(new RestoreIncidentLightsCommand(e.IncidentId, e.Why), cancellationToken);
    }
}

/// <summary>Scheduled by the raise (Hangfire, persisted in PostgreSQL): restores one incident's lights when they are due.</summary>
internal sealed class RestoreLightsJob(ISender sender)
{
    public async Task RunAsync(Guid incidentId, CancellationToken cancellationToken) =>
        await sender.Send(new RestoreIncidentLightsCommand(incidentId), cancellationToken);
}

/// <summary>
/// Recurring sweep ("lighting:restore-overdue", every minute): restores every raise past its due time whose job did not run (downtime,
/// lost job) and retries restores a light did not confirm.
/// </summary>
internal sealed class RestoreOverdueLightsJob(LightingDbContext db, ISender sender, TimeProvider clock,
    ILogger<RestoreOverdueLightsJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var overdue = await db.IncidentLighting.Where(i => i.RestoredAt == null && i.RestoreDueAt != null && i.RestoreDueAt <= now)
            .OrderBy(i => i.RestoreDueAt).Select(i => i.IncidentId).Take(200).ToListAsync(cancellationToken);
        var released = 0;
        foreach (var id in overdue)
        {
            try
            {
                released += await sender.Send(new RestoreIncidentLightsCommand(id), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Overdue restore of the lights of incident {IncidentId} failed; the next sweep retries", id);
            }
        }
        return released;
    }
}
