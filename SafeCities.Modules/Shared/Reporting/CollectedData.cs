namespace SafeCities.Modules.Shared.Reporting;

/// <summary>The technologies of the annual surveillance report (issue 14, ADR 0045), in the order it lists them.</summary>
public static class ReportTechnologies
{
    public const string Acoustic = "acoustic", PlateReaders = "plate-readers", Cameras = "cameras", Environmental = "environmental",
        IntelligenceSearch = "intelligence-search";

    public static readonly IReadOnlyList<string> All = [Acoustic, PlateReaders, Cameras, Environmental, IntelligenceSearch];
}

/// <summary>
/// One data class a module collected in a period (rows whose capture or occurrence time falls in it) and the retention rule it applies to
/// it, read from the module's configuration. Each module answers its own <c>Get…CollectedDataQuery</c> for the annual report.
/// </summary>
public sealed record CollectedDataDto(string Technology, string DataClass, long Rows, string Retention);
