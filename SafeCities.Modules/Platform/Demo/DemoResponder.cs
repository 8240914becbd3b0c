using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Demo;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// Demo city only (<c>Demo:Simulator:Enabled</c>): the two patrol units attend the gunshot incidents nobody has taken — a unit acknowledges
/// one open for <see cref="AcknowledgeAfter"/> and closes it <see cref="CloseAfter"/> later with an outcome (evidence of gunfire found a
/// little over half the time, no evidence, another sound) — through the same commands as an officer's phone, so that the incident history,
/// the alert precision and oversight's figures have closed incidents to show. An incident a person acknowledged or closed is theirs; the
/// units never touch it. <paramref name="attendsFrom"/>: only incidents opened since then (all when null).
/// </summary>
internal sealed class DemoResponder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DemoResponder> logger, DateTimeOffset? attendsFrom = null)
    : DemoSimulator(scopes, clock, logger)
{
    public static readonly TimeSpan AcknowledgeAfter = TimeSpan.FromMinutes(3), CloseAfter = TimeSpan.FromMinutes(10);
    public static readonly IReadOnlyList<string> Units = ["unit-7d21", "unit-7d34"];

    protected override TimeSpan FirstDelay => TimeSpan.FromSeconds(15);

    protected override Task TickAsync(ISender sender, CancellationToken ct) => AttendAsync(sender, ct);

    /// <summary>One round: acknowledge what waited long enough, close what the units acknowledged long enough ago.</summary>
    internal async Task AttendAsync(ISender sender, CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        foreach (var i in await sender.Send(new ListIncidentsQuery(IncidentStatus.Open), ct))
            if (i.Kind == IncidentKinds.Gunshot && i.OpenedAt >= (attendsFrom ?? DateTimeOffset.MinValue) && now - i.OpenedAt >= AcknowledgeAfter)
                await StepAsync(() => sender.Send(new AcknowledgeIncidentCommand(i.Id, UnitFor(i.Id)), ct));
        foreach (var i in await sender.Send(new ListIncidentsQuery(IncidentStatus.Acknowledged), ct))
            if (i.Kind == IncidentKinds.Gunshot && i.AcknowledgedBy == UnitFor(i.Id) && now - i.AcknowledgedAt >= CloseAfter)
                await StepAsync(() => sender.Send(new CloseIncidentCommand(i.Id, UnitFor(i.Id), OutcomeFor(i.Id)), ct));
    }

    /// <summary>A person may have taken the incident since it was listed (or another node's responder): the rule refuses, the next one goes on.</summary>
    private static async Task StepAsync(Func<ValueTask<IncidentDto>> step)
    {
        try
        {
            await step();
        }
        catch (DomainRuleException)
        {
        }
    }

    /// <summary>The same unit and outcome for an incident every time (from its id), so that a restarted demo carries on as before.</summary>
    private static string UnitFor(Guid id) => Units[DemoDraw.Of(id, Units.Count, 10)];

    private static string OutcomeFor(Guid id) => DemoDraw.Of(id, 20, 11) switch { < 11 => "gunfire-found", < 17 => "no-evidence", _ => "other-sound" };
}
