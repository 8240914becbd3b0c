using System.Text.Json;
using System.Text.Json.Nodes;
using SafeCities.Modules.Shared.Audit;

namespace SafeCities.Modules.Shared.Purposes;

/// <summary>
/// A look-up's audit entry with its statement: the purpose in words goes in the entry's purpose, and the case number, offence and approval id go in
/// its details as fields of their own (<c>caseNumber</c>, <c>offence</c>, <c>approvalId</c>), which the hash chain covers like every detail (ADR 0046:
/// no change to the canonical layout), so oversight and the annual report can count by case and offence.
/// </summary>
internal static class PurposeAudit
{
    public static Task AuditAsync(this DbContext db, IStatedPurpose p, PurposePolicy purposes, string module, string action, object details,
        DateTimeOffset at, CancellationToken ct) =>
        db.AuditAsync(p.Actor, module, action, Text(p), Details(p, purposes, details), at, ct);

    /// <summary>The purpose in words, trimmed; null when none was given.</summary>
    public static string? Text(IStatedPurpose p) => string.IsNullOrWhiteSpace(p.Purpose) ? null : p.Purpose.Trim();

    public static JsonObject Details(IStatedPurpose p, PurposePolicy purposes, object details)
    {
        var node = JsonSerializer.SerializeToNode(details, details.GetType(), JsonSerializerOptions.Web) as JsonObject ?? [];
        node["caseNumber"] = string.IsNullOrWhiteSpace(p.CaseNumber) ? null : p.CaseNumber.Trim();
        node["offence"] = purposes.Offence(p.Offence);
        if (p.ApprovalId is { } approval)
            node["approvalId"] = approval;
        return node;
    }
}
