using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// Recurring job <c>plates:partitions</c> (hourly) and start-up task: the partitions of yesterday, today and the next
/// <see cref="PlatesOptions.PartitionDaysAhead"/> days exist before any read of those days arrives. Other days (a reader
/// uploading an old backlog) get theirs on demand from the ingestion path.
/// </summary>
internal sealed class MaintainPlateReadPartitionsJob(PlateReadPartitions partitions, TimeProvider clock, IOptions<PlatesOptions> options,
    ILogger<MaintainPlateReadPartitionsJob> logger) : IStartupTask
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        partitions.Forget();
        var created = await partitions.EnsureAsync(Enumerable.Range(-1, options.Value.PartitionDaysAhead + 2).Select(today.AddDays), cancellationToken);
        if (created > 0)
            logger.LogInformation("Created {Count} day partitions of plates.plate_reads", created);
        return created;
    }

    Task IStartupTask.RunAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken);
}
