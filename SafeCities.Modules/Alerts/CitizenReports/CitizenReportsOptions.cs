namespace SafeCities.Modules.Alerts.CitizenReports;

/// <summary>appsettings <c>CitizenReports</c>: how reports join incidents and each other, how long they are kept, and the public limits.</summary>
internal sealed class CitizenReportsOptions
{
    public const string Section = "CitizenReports";

    /// <summary>A report this close to an open incident (metres) …</summary>
    public double WitnessRadiusMeters { get; set; } = 500;

    /// <summary>… that happened within this many minutes of the incident's activity becomes its witness statement.</summary>
    public double WitnessWindowMinutes { get; set; } = 30;

    /// <summary>Reports within this distance (metres) and <see cref="ClusterWindowMinutes"/> of a report of a cluster join that cluster.</summary>
    public double ClusterRadiusMeters { get; set; } = 1500;

    public double ClusterWindowMinutes { get; set; } = 20;

    /// <summary>Reports and their photos are deleted this many days after they were received.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>A report of something longer ago than this is refused (days).</summary>
    public int MaxAgeDays { get; set; } = 7;

    public int MaxPhotos { get; set; } = 3;

    public int MaxPhotoBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Submissions (the page and Open311 together) one client address may make per <see cref="RateLimitWindowMinutes"/>.</summary>
    public int RateLimitPermits { get; set; } = 10;

    public double RateLimitWindowMinutes { get; set; } = 10;
}
