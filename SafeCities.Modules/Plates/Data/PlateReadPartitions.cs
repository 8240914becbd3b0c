using Npgsql;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Plates.Data;

/// <summary>
/// The day partitions of <c>plates.plate_reads</c> (<c>plate_reads_pYYYYMMDD</c>, UTC days of captured_at), made ahead by the hourly
/// <c>plates:partitions</c> job and at start-up, and on demand before a batch is copied.
/// </summary>
internal sealed class PlateReadPartitions(NpgsqlDataSource dataSource) : DayPartitions(dataSource, "plates", "plate_reads", "ensure_plate_read_partition")
{
    public static string NameOf(DateOnly day) => $"plate_reads_p{day:yyyyMMdd}";
}
