namespace SafeCities.Modules.Alerts;

internal sealed class AlertsOptions
{
    public const string Section = "Alerts:Incidents";
    /// <summary>A detection this close to an open incident joins it (metres).</summary>
    public double JoinDistanceMeters { get; set; } = 300;
    /// <summary>… when it happened within this many minutes of the incident's activity.</summary>
    public double JoinWindowMinutes { get; set; } = 10;
    /// <summary>The most open, and the most acknowledged, incidents the command board draws (the most recently active); it says how many
    /// more there are. A night of fireworks can open hundreds of gunshot incidents.</summary>
    public int BoardLimit { get; set; } = 500;
}

/// <summary>Who a hotlist hit is pushed to (appsettings <c>Alerts:Hits</c>).</summary>
internal sealed class HitAlertOptions
{
    public const string Section = "Alerts:Hits";
    /// <summary>Officers whose shared position is within this distance of the reader get the hit pushed to them (metres).</summary>
    public double NearbyOfficerRadiusMeters { get; set; } = 3000;
    /// <summary>A shared position older than this is stale: the officer is not counted as near anything, and it is deleted (minutes).</summary>
    public double PositionMaxAgeMinutes { get; set; } = 15;
    /// <summary>
    /// Per list alert level (high, medium, low): whether a hit must be confirmed before anyone acts on it (an officer going en route or on
    /// scene, closing as "confirmed and stopped"). True unless set to false (ADR 0043).
    /// </summary>
    public Dictionary<string, bool> ConfirmBeforeAct { get; set; } = new(StringComparer.OrdinalIgnoreCase) { ["high"] = true, ["medium"] = true, ["low"] = true };

    public bool MustConfirm(string alertLevel) => ConfirmBeforeAct.GetValueOrDefault(alertLevel, true);
}
