using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Lighting;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Lighting.Drivers;
using SafeCities.Modules.Lighting.Features;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Unit.Lighting;

/// <summary>Retries, timeouts and isolation of level commands, against scripted controllers (no database is touched).</summary>
public sealed class LevelCommandsTests
{
    private static readonly LightingDriverOptions Fast = new() { Attempts = 3, BackoffMilliseconds = 1, AttemptTimeoutSeconds = 1, Parallelism = 4 };

    private static Streetlight Light(string name) =>
        new() { Id = Guid.NewGuid(), Name = name, Location = GeoMath.Point(38.9, -77), ControllerId = "SEG-1", NormalLevel = 40, CurrentLevel = 40 };

    private static LightingDbContext OfflineContext() =>
        new(new DbContextOptionsBuilder<LightingDbContext>().UseNpgsql("Host=invalid.test", o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);

    private static LevelCommands Commands(IStreetlightController controller) =>
        new(controller, Options.Create(Fast), TimeProvider.System, NullLogger<LevelCommands>.Instance);

    private sealed class Scripted(Func<Streetlight, int, CancellationToken, Task> behaviour) : IStreetlightController
    {
        public int Calls;

        public Task SetLevelAsync(Streetlight light, int level, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return behaviour(light, level, cancellationToken);
        }
    }

    [Fact]
    public async Task A_light_that_fails_twice_then_answers_is_raised_on_the_third_try()
    {
        var failures = 0;
        var controller = new Scripted((_, _, _) => Interlocked.Increment(ref failures) <= 2 ? throw new IOException("busy") : Task.CompletedTask);
        using var db = OfflineContext();
        var light = Light("A");

        var outcome = Assert.Single(await Commands(controller).ApplyAsync(db, [(light, 100)], LevelReasons.IncidentRaise, Guid.NewGuid(), default));

        Assert.True(outcome.Succeeded);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(100, light.CurrentLevel);
        var logged = Assert.Single(db.ChangeTracker.Entries<LevelChange>()).Entity;
        Assert.Equal(("ok", 3, 100, "incident-raise"), (logged.Outcome, logged.Attempts, logged.Level, logged.Reason));
    }

    [Fact]
    public async Task A_dead_light_is_reported_after_every_try_and_does_not_hold_back_the_others()
    {
        var dead = Light("Dead");
        var controller = new Scripted((l, _, _) => l.Id == dead.Id ? throw new StreetlightControllerException("controller SEG-1 did not acknowledge") : Task.CompletedTask);
        using var db = OfflineContext();
        var others = Enumerable.Range(0, 6).Select(i => Light($"L{i}")).ToList();

        var outcomes = await Commands(controller).ApplyAsync(db, [(dead, 100), .. others.Select(o => (o, 100))], LevelReasons.IncidentRaise, null, default);

        var failed = Assert.Single(outcomes, o => !o.Succeeded);
        Assert.Equal((dead.Id, 3, "controller SEG-1 did not acknowledge"), (failed.Light.Id, failed.Attempts, failed.Error));
        Assert.Equal(40, dead.CurrentLevel);
        Assert.All(others, o => Assert.Equal(100, o.CurrentLevel));
        Assert.Equal(9, controller.Calls);
        Assert.Equal(["failed", "ok", "ok", "ok", "ok", "ok", "ok"], db.ChangeTracker.Entries<LevelChange>().Select(e => e.Entity.Outcome).Order());
    }

    [Fact]
    public async Task A_controller_that_never_answers_times_out_per_try()
    {
        var controller = new Scripted((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        using var db = OfflineContext();
        var started = DateTime.UtcNow;

        var outcome = Assert.Single(await Commands(controller).ApplyAsync(db, [(Light("Hung"), 100)], LevelReasons.IncidentRestore, null, default));

        Assert.False(outcome.Succeeded);
        Assert.Equal("no answer within 1 s", outcome.Error);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_simulated_controller_records_every_command_and_fails_only_the_lights_told_to()
    {
        var simulated = new SimulatedStreetlightController(TimeProvider.System);
        var (good, bad) = (Light("Good"), Light("Bad"));
        simulated.FailFor(bad.Id);
        await simulated.SetLevelAsync(good, 80, default);
        await Assert.ThrowsAsync<StreetlightControllerException>(() => simulated.SetLevelAsync(bad, 80, default));
        simulated.Recover(bad.Id);
        await simulated.SetLevelAsync(bad, 90, default);

        Assert.Equal([(good.Id, 80, true), (bad.Id, 80, false), (bad.Id, 90, true)],
            simulated.Commands.Where(c => c.LightId == good.Id || c.LightId == bad.Id).Select(c => (c.LightId, c.Level, c.Accepted)));
        Assert.Equal((80, 90), (simulated.LevelOf(good.Id), simulated.LevelOf(bad.Id)));
    }
}
