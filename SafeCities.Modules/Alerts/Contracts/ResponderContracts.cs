namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>What an officer tells command staff about their own response to an incident, from the responder page.</summary>
public static class ResponderStatus
{
    public const string Acknowledged = "acknowledged";
    public const string EnRoute = "en-route";
    public const string OnScene = "on-scene";
    public static readonly IReadOnlyList<string> All = [Acknowledged, EnRoute, OnScene];

    public static string Label(string status) => status switch
    {
        Acknowledged => "acknowledged",
        EnRoute => "en route",
        OnScene => "on scene",
        _ => status,
    };
}

/// <summary>
/// The signed-in officer reports their status for an incident (acknowledged, en route, on scene). Recorded per officer as a timeline entry of
/// module "Responders" (kind <c>responder:{status}</c>), pushed live to the board and the incident page; the incident's own status is not changed.
/// </summary>
public sealed record ReportResponderStatusCommand(Guid IncidentId, string UserName, string Status) : ICommand<ResponderStatusDto>;

/// <summary>Every officer's latest status on an incident, most recent first.</summary>
public sealed record ListIncidentRespondersQuery(Guid IncidentId) : IQuery<IReadOnlyList<ResponderStatusDto>>;

public sealed record ResponderStatusDto(string UserName, string Status, DateTimeOffset At);
