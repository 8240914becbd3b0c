namespace SafeCities.Modules.Alerts;

internal sealed class AlertsOptions
{
    public const string Section = "Alerts:Incidents";
    /// <summary>A detection this close to an open incident joins it (metres).</summary>
    public double JoinDistanceMeters { get; set; } = 300;
    /// <summary>… when it happened within this many minutes of the incident's activity.</summary>
    public double JoinWindowMinutes { get; set; } = 10;
}
