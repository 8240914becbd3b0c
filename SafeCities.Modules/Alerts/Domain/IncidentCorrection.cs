using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Modules.Alerts.Domain;

/// <summary>One change of an incident's classification or location by a person: appended, never changed (ADR 0044).</summary>
internal sealed class IncidentCorrection
{
    public const string KindField = IncidentCorrectionDto.KindField, LocationField = IncidentCorrectionDto.LocationField;

    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public DateTimeOffset At { get; init; }
    public required string By { get; init; }
    public required string Field { get; init; }
    public required string Before { get; init; }
    public required string After { get; init; }
    public required string Reason { get; init; }
    public bool AfterClose { get; init; }

    public IncidentCorrectionDto ToDto() => new(Id, IncidentId, At, By, Field, Before, After, Reason, AfterClose);
}

internal static class IncidentCorrectionConfiguration
{
    public static void ConfigureIncidentCorrections(this ModelBuilder b) => b.Entity<IncidentCorrection>(e =>
    {
        e.ToTable("incident_corrections");
        e.Property(c => c.By).HasMaxLength(256);
        e.Property(c => c.Field).HasMaxLength(20);
        e.Property(c => c.Before).HasMaxLength(80);
        e.Property(c => c.After).HasMaxLength(80);
        e.Property(c => c.Reason).HasMaxLength(500);
        e.HasIndex(c => new { c.IncidentId, c.At });
    });
}
