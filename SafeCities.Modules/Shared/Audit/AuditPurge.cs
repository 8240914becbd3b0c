using System.Globalization;
using Npgsql;

namespace SafeCities.Modules.Shared.Audit;

/// <summary>
/// The deletion log: a retention job that deletes a day of a data class appends one <c>retention-purge</c> audit entry with the day's count,
/// in the transaction of the delete, so the deletion is in the hash chain and sealed by that day's anchor (ADR 0045). Same details shape as
/// the hits' retention (<c>dataClass</c>, <c>days[{day, deleted}]</c>, <c>keptAsEvidence</c>).
/// </summary>
public static class AuditPurge
{
    public const string Action = "retention-purge";

    internal static Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string module, string dataClass, DateOnly day,
        long deleted, long keptAsEvidence, DateTimeOffset at, CancellationToken ct) =>
        connection.AuditAsync(transaction, "system", module, Action, null, new
        {
            dataClass, days = new[] { new { day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), deleted } }, keptAsEvidence,
        }, at, ct);
}
