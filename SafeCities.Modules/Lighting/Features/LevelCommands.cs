using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Lighting.Drivers;

namespace SafeCities.Modules.Lighting.Features;

internal sealed record LevelOutcome(Streetlight Light, int Level, bool Succeeded, int Attempts, string? Error);

internal static class LevelReasons
{
    public const string IncidentRaise = "incident-raise";
    public const string IncidentRestore = "incident-restore";
}

/// <summary>
/// Sends level commands through the driver: several lights at once, each retried with a doubling back-off and a per-try timeout.
/// A light that never confirms is a result, not an exception (only cancellation escapes); every outcome is logged durably in
/// <c>lighting.level_changes</c> and a confirmed level becomes the light's current level.
/// </summary>
internal sealed class LevelCommands(IStreetlightController controller, IOptions<LightingDriverOptions> options, TimeProvider clock,
    ILogger<LevelCommands> logger)
{
    public async Task<IReadOnlyList<LevelOutcome>> ApplyAsync(LightingDbContext db, IReadOnlyList<(Streetlight Light, int Level)> targets, string reason,
        Guid? incidentId, CancellationToken ct)
    {
        var outcomes = new LevelOutcome[targets.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, targets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.Parallelism), CancellationToken = ct },
            async (i, token) => outcomes[i] = await SetOneAsync(targets[i].Light, targets[i].Level, token));
        var now = clock.GetUtcNow();
        foreach (var outcome in outcomes)
        {
            if (outcome.Succeeded)
                outcome.Light.CurrentLevel = outcome.Level;
            db.LevelChanges.Add(new LevelChange
            {
                LightId = outcome.Light.Id, Level = outcome.Level, Reason = reason, IncidentId = incidentId, At = now,
                Outcome = outcome.Succeeded ? "ok" : "failed", Attempts = outcome.Attempts, Error = outcome.Error,
            });
        }
        return outcomes;
    }

    private async Task<LevelOutcome> SetOneAsync(Streetlight light, int level, CancellationToken ct)
    {
        var o = options.Value;
        var attempts = Math.Max(1, o.Attempts);
        string? error = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(TimeSpan.FromMilliseconds(o.BackoffMilliseconds * Math.Pow(2, attempt - 2)), clock, ct);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds), clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            try
            {
                await controller.SetLevelAsync(light, level, linked.Token);
                return new LevelOutcome(light, level, true, attempt, null);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                error = timeout.IsCancellationRequested ? $"no answer within {o.AttemptTimeoutSeconds} s" : ex.Message;
                logger.LogWarning("Streetlight {Light} did not take level {Level} (try {Attempt} of {Attempts}): {Error}", light.Name, level, attempt,
                    attempts, error);
            }
        }
        return new LevelOutcome(light, level, false, attempts, error);
    }
}
