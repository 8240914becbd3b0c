using NetTopologySuite.Geometries;

namespace SafeCities.Modules.Alerts.InboundCap;

/// <summary>
/// A CAP message another authority pushed to us (<c>POST /api/v1/alerts/cap</c>), as received: one row per sender/identifier/sent (CAP's
/// identity of a message), its areas in <see cref="Areas"/>. An Update or Cancel marks the messages it references superseded or cancelled.
/// </summary>
internal sealed class InboundCapAlert
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Sender { get; init; }
    public required string Identifier { get; init; }
    public DateTimeOffset Sent { get; init; }
    /// <summary>"1.2" or "1.1".</summary>
    public required string CapVersion { get; init; }
    public required string Status { get; init; }
    public required string MsgType { get; init; }
    public required string Scope { get; init; }
    public string? Event { get; init; }
    public string? Severity { get; init; }
    public string? Urgency { get; init; }
    public string? Certainty { get; init; }
    public string? Headline { get; init; }
    public string? SenderName { get; init; }
    public DateTimeOffset? Expires { get; init; }
    /// <summary>The <c>references</c> element as received ("sender,identifier,sent …").</summary>
    public string? References { get; init; }
    /// <summary>The message as read (re-serialised: no DTD, comments or processing instructions; an XML signature in it no longer verifies).</summary>
    public required string Xml { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public required string ReceivedBy { get; init; }
    /// <summary>The partner agency whose key pushed it; null when an administrator did.</summary>
    public Guid? AgencyId { get; init; }
    public DateTimeOffset? SupersededAt { get; set; }
    public Guid? SupersededById { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public List<InboundCapArea> Areas { get; init; } = [];
}

/// <summary>One CAP <c>area</c>: its description, its polygons and circles as one WGS 84 geometry (a circle of radius 0 is its centre), its geocodes as text.</summary>
internal sealed class InboundCapArea
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid AlertId { get; init; }
    public int Position { get; init; }
    public required string Description { get; init; }
    public Geometry? Area { get; init; }
    /// <summary>"valueName=value; …" (e.g. "SAME=006113; FIPS6=006113"), kept as received: resolving codes to shapes needs a gazetteer we do not have.</summary>
    public string? Geocodes { get; init; }
}

internal static class InboundCapLimits
{
    public const int MaxBodyBytes = 512 * 1024;
    public const int MaxAreas = 100;
    public const int MaxPolygonPoints = 5000;
    /// <summary>A circle larger than this is not an alert area (a radius typed in metres as kilometres, say).</summary>
    public const double MaxCircleRadiusKm = 2000;
    public const int IdentityLength = 256;
    /// <summary>A message without an expiry counts as current this long after it was sent.</summary>
    public static readonly TimeSpan LifetimeWithoutExpiry = TimeSpan.FromHours(24);
    /// <summary>A message sent further ahead than this (clocks differ a little, not by days) is refused.</summary>
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromDays(1);
    public static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public const int MaxYearsToExpiry = 10;
}

internal static class InboundCapModel
{
    public static void ConfigureInboundCap(this ModelBuilder b)
    {
        b.Entity<InboundCapAlert>(e =>
        {
            e.ToTable("inbound_cap_alerts");
            e.Property(a => a.Sender).HasMaxLength(InboundCapLimits.IdentityLength);
            e.Property(a => a.Identifier).HasMaxLength(InboundCapLimits.IdentityLength);
            e.Property(a => a.CapVersion).HasMaxLength(3);
            e.Property(a => a.Status).HasMaxLength(10);
            e.Property(a => a.MsgType).HasMaxLength(10);
            e.Property(a => a.Scope).HasMaxLength(10);
            e.Property(a => a.Event).HasMaxLength(InboundCapText.Event);
            e.Property(a => a.Severity).HasMaxLength(InboundCapText.Code);
            e.Property(a => a.Urgency).HasMaxLength(InboundCapText.Code);
            e.Property(a => a.Certainty).HasMaxLength(InboundCapText.Code);
            e.Property(a => a.Headline).HasMaxLength(InboundCapText.Headline);
            e.Property(a => a.SenderName).HasMaxLength(InboundCapText.SenderName);
            e.Property(a => a.ReceivedBy).HasMaxLength(256);
            e.HasIndex(a => new { a.Sender, a.Identifier, a.Sent }).IsUnique();
            e.HasIndex(a => a.ReceivedAt);
            e.HasMany(a => a.Areas).WithOne().HasForeignKey(a => a.AlertId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<InboundCapArea>(e =>
        {
            e.ToTable("inbound_cap_areas");
            e.Property(a => a.Description).HasMaxLength(InboundCapText.AreaDescription);
            e.Property(a => a.Area).HasColumnType("geography (geometry, 4326)");
            e.Property(a => a.Geocodes).HasMaxLength(InboundCapText.Geocodes);
            e.HasIndex(a => a.Area).HasMethod("gist");
            e.HasIndex(a => new { a.AlertId, a.Position });
        });
    }
}

/// <summary>How much of each free text is kept (CAP sets no limits; longer texts are cut, not refused: lenient).</summary>
internal static class InboundCapText
{
    public const int Event = 200;
    public const int Code = 20;
    public const int Headline = 500;
    public const int SenderName = 200;
    public const int AreaDescription = 1000;
    public const int Geocodes = 4000;

    public static string? Cut(string? text, int max) =>
        text is null || text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
}
