using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// Plate reads shown to a viewer of another agency (ADR 0051): the sharing rules are applied before a search, plate-sightings look-up or
/// co-location runs, and what it showed is logged in Intelligence's agency-reads log before it is returned — the same log and rules as
/// Intelligence's own reads (ADR 0041), reached through its contracts. The look-up messages carry the viewer's agency (null for the city's
/// staff and for work done for nobody, such as the automatic co-location), so the rules hold whoever sends them — a page, the API, another
/// module or a job — without reading the HTTP request.
/// </summary>
internal sealed class AgencyPlateReads(ISender sender)
{
    /// <summary>A viewer of an agency that is not part of the city: what it is shown is logged.</summary>
    internal sealed record Reader(Guid AgencyId, string Actor, string Action, DateTimeOffset At);

    /// <summary>
    /// Null for the city's own staff (no agency, or an agency that is part of the city). Refuses (403 naming the rules, audited as
    /// <c>sharing-blocked</c>) a viewer whose agency an enabled sharing rule forbids plate data.
    /// </summary>
    public async Task<Reader?> CheckAsync(DbContext db, string actor, Guid? viewerAgencyId, string action, string? purpose, DateTimeOffset now, CancellationToken ct)
    {
        if (viewerAgencyId is not { } agencyId)
            return null;
        var status = await sender.Send(new GetAgencySharingStatusQuery(agencyId, [DataClasses.Plates]), ct);
        if (status is { Breaches.Count: > 0 })
        {
            await db.AuditAsync(actor, "Plates", "sharing-blocked", purpose?.Trim(), new { action, agencyId, agency = status.Name, breaches = status.Breaches }, now, ct);
            throw new DomainRuleException($"Blocked: {status.Name} may not receive this data. {string.Join(" ", status.Breaches)}", 403);
        }
        return status is { PartOfCity: true } ? null : new Reader(agencyId, actor, action, now);
    }

    /// <summary>Logs <paramref name="items"/> plate reads shown to <paramref name="reader"/>; call after the audit entry, before returning them.</summary>
    public async Task LogAsync(Reader? reader, int items, CancellationToken ct)
    {
        if (reader is null || items == 0)
            return;
        await sender.Send(new RecordAgencyReadCommand(reader.AgencyId, DataClasses.Plates, items, reader.Action, reader.Actor, reader.At), ct);
    }
}
