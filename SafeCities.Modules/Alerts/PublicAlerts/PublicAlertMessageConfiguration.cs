using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SafeCities.Modules.Alerts.PublicAlerts;

/// <summary>Table <c>alerts.public_alert_messages</c>: every drafted, issued and discarded CAP message.</summary>
internal sealed class PublicAlertMessageConfiguration : IEntityTypeConfiguration<PublicAlertMessage>
{
    public void Configure(EntityTypeBuilder<PublicAlertMessage> e)
    {
        e.ToTable("public_alert_messages");
        e.Property(m => m.MsgType).HasMaxLength(10);
        e.Property(m => m.State).HasMaxLength(12);
        foreach (var name in new[] { nameof(PublicAlertMessage.Category), nameof(PublicAlertMessage.Severity), nameof(PublicAlertMessage.Urgency),
                     nameof(PublicAlertMessage.Certainty), nameof(PublicAlertMessage.ResponseType) })
            e.Property<string>(name).HasMaxLength(12);
        e.Property(m => m.Event).HasMaxLength(PublicAlertLimits.Event);
        e.Property(m => m.AreaDescription).HasMaxLength(PublicAlertLimits.AreaDescription);
        e.Property(m => m.Area).HasColumnType("geography (polygon, 4326)");
        e.Property(m => m.HeadlineEn).HasMaxLength(PublicAlertLimits.Headline);
        e.Property(m => m.HeadlineEs).HasMaxLength(PublicAlertLimits.Headline);
        e.Property(m => m.DescriptionEn).HasMaxLength(PublicAlertLimits.Description);
        e.Property(m => m.DescriptionEs).HasMaxLength(PublicAlertLimits.Description);
        e.Property(m => m.InstructionEn).HasMaxLength(PublicAlertLimits.Instruction);
        e.Property(m => m.InstructionEs).HasMaxLength(PublicAlertLimits.Instruction);
        e.Property(m => m.Note).HasMaxLength(PublicAlertLimits.Note);
        e.Property(m => m.CreatedBy).HasMaxLength(256);
        e.Property(m => m.ApprovedBy).HasMaxLength(256);
        e.Property(m => m.DiscardedBy).HasMaxLength(256);
        e.Property(m => m.Identifier).HasMaxLength(80);
        e.Property(m => m.ETag).HasMaxLength(40);
        e.HasIndex(m => m.Identifier).IsUnique();
        e.HasIndex(m => new { m.ThreadId, m.Sent });
        e.HasIndex(m => new { m.State, m.SupersededAt });
        e.HasIndex(m => m.Area).HasMethod("gist");
    }
}

internal static class PublicAlertLimits
{
    public const int Event = 100;
    public const int AreaDescription = 200;
    /// <summary>CAP 1.2 §3.2.2: a headline SHOULD be under 160 characters (it is what a phone shows).</summary>
    public const int Headline = 160;
    public const int Description = 3000;
    public const int Instruction = 1000;
    public const int Note = 500;
    public const double MinRadiusMeters = 50;
    public const double MaxRadiusMeters = 50_000;
    /// <summary>An onset or expiry further ahead than this is refused (a typo, not an alert).</summary>
    public const int MaxDaysAhead = 14;
    public const int MaxPolygonPoints = 500;
    public const int IpawsMaxPolygonPoints = 100;
}
