using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Platform.Addresses;
using SafeCities.Modules.Platform.ApiKeys;
using SafeCities.Modules.Platform.Approvals;
using SafeCities.Modules.Platform.Devices;
using SafeCities.Modules.Platform.Districts;

namespace SafeCities.Modules.Platform.Data;

/// <summary>
/// People (ASP.NET Core Identity), machine credentials (API clients and device keys) and the Data Protection key ring every node
/// shares, schema <c>platform</c>.
/// </summary>
internal sealed class PlatformDbContext(DbContextOptions<PlatformDbContext> options) : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
{
    public const string Schema = "platform";

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<AddressPoint> AddressPoints => Set<AddressPoint>();

    public DbSet<District> Districts => Set<District>();

    public DbSet<OfflineDevice> OfflineDevices => Set<OfflineDevice>();

    public DbSet<SearchApproval> SearchApprovals => Set<SearchApproval>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.HasDefaultSchema(Schema);
        b.Entity<RateLimitWindow>(e =>
        {
            e.ToTable("rate_limit_windows");
            e.HasKey(w => new { w.Key, w.WindowStart });
            e.Property(w => w.Key).HasMaxLength(300);
            e.HasIndex(w => w.WindowEnd);
        });
        b.Entity<ApiKey>(e =>
        {
            e.Property(k => k.Name).HasMaxLength(120);
            e.Property(k => k.Kind).HasMaxLength(10);
            e.Property(k => k.Role).HasMaxLength(40);
            e.Property(k => k.DeviceKind).HasMaxLength(40);
            e.Property(k => k.Hint).HasMaxLength(12);
            e.Property(k => k.CreatedBy).HasMaxLength(256);
            e.HasIndex(k => k.Hash).IsUnique();
            e.HasIndex(k => k.DeviceId);
        });
        b.HasPostgresExtension("postgis");
        b.Entity<AddressPoint>(e =>
        {
            e.Property(a => a.Number).HasMaxLength(20);
            e.Property(a => a.Street).HasMaxLength(120);
            e.Property(a => a.Place).HasMaxLength(120);
            e.Property(a => a.Key).HasMaxLength(270);
            e.Property(a => a.ImportedBy).HasMaxLength(256);
            e.Property(a => a.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(a => a.Key).IsUnique();
            e.HasIndex(a => a.Location).HasMethod("gist");
        });
        b.Entity<District>(e =>
        {
            e.Property(d => d.Code).HasMaxLength(40);
            e.Property(d => d.Name).HasMaxLength(120);
            e.Property(d => d.ImportedBy).HasMaxLength(256);
            e.Property(d => d.Boundary).HasColumnType("geometry (multipolygon, 4326)");
            e.HasIndex(d => d.Code).IsUnique();
            e.HasIndex(d => d.Boundary).HasMethod("gist");
        });
        b.Entity<SearchApproval>(e =>
        {
            e.Property(a => a.RequestedBy).HasMaxLength(256);
            e.Property(a => a.LookupKind).HasMaxLength(80);
            e.Property(a => a.Fingerprint).HasMaxLength(64).IsFixedLength();
            e.Property(a => a.Terms).HasColumnType("jsonb");
            e.Property(a => a.CaseNumber).HasMaxLength(40);
            e.Property(a => a.Offence).HasMaxLength(80);
            e.Property(a => a.Purpose).HasMaxLength(500);
            e.Property(a => a.Status).HasMaxLength(20);
            e.Property(a => a.DecidedBy).HasMaxLength(256);
            e.Property(a => a.DecisionReason).HasMaxLength(500);
            e.HasIndex(a => new { a.Status, a.RequestedAt });
            e.HasIndex(a => new { a.RequestedBy, a.Fingerprint });
        });
        b.Entity<OfflineDevice>(e =>
        {
            e.HasKey(o => o.DeviceId);
            e.Property(o => o.Kind).HasMaxLength(40);
            e.Property(o => o.Name).HasMaxLength(120);
        });
        Oversight.OversightModel.Configure(b);
    }
}
