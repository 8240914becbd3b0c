using Microsoft.Extensions.Hosting;

namespace SafeCities.Modules.Shared.Demo;

/// <summary>
/// The one loop of every demo simulator (Demo city only, <c>Demo:Simulator:Enabled</c>; Platform's traffic and patrols, Sensors' gunfire):
/// after <see cref="FirstDelay"/>, <see cref="PrepareAsync"/> once, then <see cref="TickAsync"/> every <see cref="Interval"/>, each in its
/// own scope through the same commands real devices and phones use. A failed step is logged and the next one runs.
/// </summary>
internal abstract class DemoSimulator(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected ILogger Logger => logger;

    protected abstract TimeSpan FirstDelay { get; }

    protected virtual TimeSpan Interval => TimeSpan.FromSeconds(20);

    protected virtual Task PrepareAsync(ISender sender, CancellationToken ct) => Task.CompletedTask;

    protected abstract Task TickAsync(ISender sender, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(FirstDelay, clock, stoppingToken);
        await StepAsync(PrepareAsync, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await StepAsync(TickAsync, stoppingToken);
            await Task.Delay(Interval, clock, stoppingToken);
        }
    }

    private async Task StepAsync(Func<ISender, CancellationToken, Task> step, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await step(scope.ServiceProvider.GetRequiredService<ISender>(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Demo simulator {Simulator} failed a step", GetType().Name);
        }
    }
}
