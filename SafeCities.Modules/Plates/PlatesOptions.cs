namespace SafeCities.Modules.Plates;

/// <summary>Deployment settings (appsettings <c>Plates</c>); what administrators tune at run time is in <c>plates.reaction_settings</c>.</summary>
internal sealed class PlatesOptions
{
    public const string Section = "Plates";
    /// <summary>How far in the future a reader's clock may be before its read is refused.</summary>
    public int MaxClockSkewSeconds { get; set; } = 120;
    /// <summary>Linked reads whose timeline report did not go out are reported again by the sweep after this long.</summary>
    public int ReportRetryAfterSeconds { get; set; } = 30;
    /// <summary>How long a node keeps the reaction settings in memory (a change on this node applies at once).</summary>
    public int SettingsCacheSeconds { get; set; } = 30;
}
