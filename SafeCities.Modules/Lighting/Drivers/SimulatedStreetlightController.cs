using System.Collections.Concurrent;
using SafeCities.Modules.Lighting.Domain;

namespace SafeCities.Modules.Lighting.Drivers;

/// <summary>One command as the simulated controller received it.</summary>
internal sealed record SimulatedCommand(Guid LightId, string? ControllerId, int Level, DateTimeOffset At, bool Accepted);

/// <summary>
/// The default driver (demo city, tests): accepts every command and remembers it; lights put in fault with
/// <see cref="FailFor"/> refuse commands until <see cref="Recover"/>. Thread-safe (a singleton).
/// </summary>
internal sealed class SimulatedStreetlightController(TimeProvider clock) : IStreetlightController
{
    public const int MaxRemembered = 20_000;

    private readonly ConcurrentQueue<SimulatedCommand> commands = new();
    private readonly ConcurrentDictionary<Guid, bool> failing = new();
    private readonly ConcurrentDictionary<Guid, int> levels = new();

    public Task SetLevelAsync(Streetlight light, int level, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var accepted = !failing.ContainsKey(light.Id);
        commands.Enqueue(new SimulatedCommand(light.Id, light.ControllerId, level, clock.GetUtcNow(), accepted));
        while (commands.Count > MaxRemembered && commands.TryDequeue(out _))
        {
            // the demo city runs for days: remember the most recent commands only
        }
        if (!accepted)
            throw new StreetlightControllerException(
                $"{(light.ControllerId is null ? "light node" : $"controller {light.ControllerId}")} did not acknowledge (simulated fault)");
        levels[light.Id] = level;
        return Task.CompletedTask;
    }

    public void FailFor(Guid lightId) => failing[lightId] = true;

    public void Recover(Guid lightId) => failing.TryRemove(lightId, out _);

    /// <summary>Every command received, accepted or not, in order.</summary>
    public IReadOnlyList<SimulatedCommand> Commands => commands.ToArray();

    public IReadOnlyList<SimulatedCommand> CommandsFor(Guid lightId) => commands.Where(c => c.LightId == lightId).ToArray();

    /// <summary>The level the (simulated) lamp is actually at, if it ever accepted a command.</summary>
    public int? LevelOf(Guid lightId) => levels.TryGetValue(lightId, out var level) ? level : null;
}
