using NetTopologySuite.Geometries;

namespace SafeCities.Modules.Alerts.Subscribers;

/// <summary>
/// A member of the public who asked for public alerts (no account): one channel and its address, a language, and one or more areas. Receives
/// nothing until <see cref="ConfirmedAt"/> is set by the confirmation link (double opt-in). Tokens are stored as SHA-256 hashes; the
/// unsubscribe token also sealed with the app's data-protection keys (kept outside this table) because every message must carry it.
/// </summary>
internal sealed class Subscriber
{
    public Guid Id { get; init; }
    /// <summary><see cref="SubscriberChannels"/>: email, sms or push.</summary>
    public required string Channel { get; init; }
    /// <summary>The e-mail address, the E.164 phone number or the push endpoint URL, and nothing else about the person.</summary>
    public required string Address { get; init; }
    /// <summary>en or es: the alert's text in this language when the alert has it.</summary>
    public required string Language { get; init; }
    public required byte[] ConfirmTokenHash { get; init; }
    public required byte[] UnsubscribeTokenHash { get; init; }
    public required string UnsubscribeTokenSealed { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public List<SubscriberArea> Areas { get; init; } = [];
}

/// <summary>
/// One area of a subscriber. A drawn polygon is <see cref="Area"/> with radius 0; a point with a radius is the point with its radius (exact:
/// <c>ST_DWithin(area, alert, radius)</c> on the spheroid). <see cref="Cover"/> is the GiST-indexed polygon that contains the whole area (the
/// polygon itself, or a 40-gon circumscribing the circle), so the index finds candidates and ST_DWithin decides (ADR 0040).
/// </summary>
internal sealed class SubscriberArea
{
    public Guid Id { get; init; }
    public Guid SubscriberId { get; init; }
    public required Geometry Area { get; init; }
    public double RadiusMeters { get; init; }
    public required Polygon Cover { get; init; }
}

/// <summary>
/// One message (Alert, Update or Cancel) to one subscriber: the primary key (message, subscriber) makes the fan-out exactly once. A sender
/// claims a row for <see cref="SubscribersOptions.ClaimSeconds"/> (<see cref="ClaimedUntil"/>), sends, and marks it sent; a claim that runs out
/// (a sender that died) is taken again, a row marked sent never is.
/// </summary>
internal sealed class SubscriberDelivery
{
    public Guid MessageId { get; init; }
    public Guid SubscriberId { get; init; }
    public required string Channel { get; init; }
    public string State { get; set; } = DeliveryStates.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>What the simulated SMS and push drivers "sent": one row per (message, subscriber), <see cref="Sends"/> counting every hand-over.</summary>
internal sealed class SimulatedDelivery
{
    public Guid MessageId { get; init; }
    public Guid SubscriberId { get; init; }
    public required string Channel { get; init; }
    public required string Address { get; init; }
    public required string Text { get; init; }
    public int Sends { get; set; }
    public DateTimeOffset FirstAt { get; init; }
    public DateTimeOffset LastAt { get; set; }
}

internal static class SubscriberChannels
{
    public const string Email = "email";
    public const string Sms = "sms";
    public const string Push = "push";
    public static readonly IReadOnlyList<string> All = [Email, Sms, Push];
}

internal static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

internal static class SubscribersModel
{
    public static ModelBuilder ConfigureSubscribers(this ModelBuilder b)
    {
        b.Entity<Subscriber>(e =>
        {
            e.ToTable("alert_subscribers");
            e.Property(s => s.Channel).HasMaxLength(8);
            e.Property(s => s.Address).HasMaxLength(SubscriberLimits.Address);
            e.Property(s => s.Language).HasMaxLength(2);
            e.Property(s => s.UnsubscribeTokenSealed).HasMaxLength(1000);
            e.HasIndex(s => s.ConfirmTokenHash).IsUnique();
            e.HasIndex(s => s.UnsubscribeTokenHash).IsUnique();
            e.HasIndex(s => s.CreatedAt).HasFilter("confirmed_at IS NULL");
            e.HasMany(s => s.Areas).WithOne().HasForeignKey(a => a.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SubscriberArea>(e =>
        {
            e.ToTable("alert_subscriber_areas");
            e.Property(a => a.Area).HasColumnType("geography (geometry, 4326)");
            e.Property(a => a.Cover).HasColumnType("geography (polygon, 4326)");
            e.HasIndex(a => a.Cover).HasMethod("gist");
            e.HasIndex(a => a.SubscriberId);
        });
        b.Entity<SubscriberDelivery>(e =>
        {
            e.ToTable("alert_deliveries");
            e.HasKey(d => new { d.MessageId, d.SubscriberId });
            e.Property(d => d.Channel).HasMaxLength(8);
            e.Property(d => d.State).HasMaxLength(10);
            e.Property(d => d.LastError).HasMaxLength(1000);
            e.HasOne<PublicAlerts.PublicAlertMessage>().WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Subscriber>().WithMany().HasForeignKey(d => d.SubscriberId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(d => d.NextAttemptAt).HasFilter("state = 'pending'");
            e.HasIndex(d => d.SubscriberId);
            e.HasIndex(d => new { d.State, d.CreatedAt });
        });
        b.Entity<SimulatedDelivery>(e =>
        {
            e.ToTable("alert_simulated_deliveries");
            e.HasKey(d => new { d.MessageId, d.SubscriberId });
            e.Property(d => d.Channel).HasMaxLength(8);
            e.Property(d => d.Address).HasMaxLength(SubscriberLimits.Address);
            e.Property(d => d.Text).HasMaxLength(4000);
            e.HasIndex(d => d.FirstAt);
        });
        return b;
    }
}

internal static class SubscriberLimits
{
    public const int Address = 1000;
    public const int MaxAreas = Contracts.SubscriberAreas.Max;
    public const double MinRadiusMeters = 50;
    public const double MaxRadiusMeters = 20_000;
    public const int MaxPolygonPoints = 200;
}
