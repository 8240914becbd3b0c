using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Demo;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// Demo city only (<c>Demo:Simulator:Enabled</c>): people call some of the gunfire in. For about <see cref="CalledShare"/> of the gunshot
/// incidents (Camden found 38 % of the gunshots its sensors heard in one neighbourhood never reported), a call for service of a gunfire type
/// comes in through the police's records feed — as a CAD system's would — one to four minutes after the shots, placed where the caller
/// was (up to 150 m off). The unreported-gunfire page then has calls to join; the rest is what nobody reported. The same incidents are
/// called every time (<see cref="DemoDraw"/>), once each (the call's id is the incident's); <paramref name="callsFrom"/>: only incidents
/// opened since then (all when null).
/// </summary>
internal sealed class DemoCallers(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DemoCallers> logger, DateTimeOffset? callsFrom = null)
    : DemoSimulator(scopes, clock, logger)
{
    public const double CalledShare = 0.62;
    public const string Actor = "demo-cad";
    private static readonly string[] CallTypes = ["shots fired", "sounds of gunshots"];
    private readonly Dictionary<Guid, DateTimeOffset> called = [];   // incident → opened, while it can still be called in

    protected override TimeSpan FirstDelay => TimeSpan.FromSeconds(20);

    protected override Task TickAsync(ISender sender, CancellationToken ct) => CallAsync(sender, ct);

    /// <summary>One round: the calls of the gunshot incidents whose caller has waited long enough (not yet called).</summary>
    internal async Task CallAsync(ISender sender, CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var due = new List<RecordInput>();
        var ids = new List<(Guid Id, DateTimeOffset Opened)>();
        var since = callsFrom ?? now.AddHours(-1);
        foreach (var i in await sender.Send(new ListIncidentsQuery(Limit: 200), ct))
            if (i.Kind == IncidentKinds.Gunshot && i.OpenedAt >= since && Calls(i.Id) && !called.ContainsKey(i.Id)
                && now - i.OpenedAt >= DelayOf(i.Id))
            {
                var (lat, lon) = GeoMath.Offset(i.Latitude, i.Longitude, DemoDraw.Of(i.Id, 150, 3), DemoDraw.Of(i.Id, 360, 4));
                due.Add(new RecordInput(RecordKinds.CallForService, CallId(i.Id), StartedAt: i.OpenedAt + DelayOf(i.Id),
                    CallType: CallTypes[DemoDraw.Of(i.Id, CallTypes.Length, 5)], Latitude: lat, Longitude: lon,
                    Narrative: "Caller heard several shots (demo)."));
                ids.Add((i.Id, i.OpenedAt));
            }
        foreach (var id in called.Where(c => c.Value < since).Select(c => c.Key).ToList())
            called.Remove(id);   // no longer listed for a call: forgotten, so a long-running demo's memory stays flat
        if (due.Count == 0)
            return;
        var police = (await sender.Send(new ListAgenciesQuery(), ct)).FirstOrDefault(a => a.Name == DemoCitySeeder.PoliceName);
        if (police is null)
            return;
        await sender.Send(new IngestRecordsCommand(police.Id, Actor, due), ct);
        foreach (var (id, opened) in ids)
            called[id] = opened;
        Logger.LogInformation("Demo callers: {Count} gunfire call(s) for service", due.Count);
    }

    /// <summary>Whether someone calls the incident in (about <see cref="CalledShare"/> of them).</summary>
    internal static bool Calls(Guid incident) => DemoDraw.Of(incident, 100, 1) < CalledShare * 100;

    /// <summary>How long after the shots the call comes (one to four minutes).</summary>
    internal static TimeSpan DelayOf(Guid incident) => TimeSpan.FromSeconds(60 + DemoDraw.Of(incident, 180, 2));

    /// <summary>The call's id in the police's records: the incident's, so a restarted demo updates it rather than calling twice.</summary>
    internal static string CallId(Guid incident) => $"CFS-SIM-{incident:N}";
}
