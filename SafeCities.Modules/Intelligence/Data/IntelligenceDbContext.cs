using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using SafeCities.Modules.Intelligence.Analysis.Hotspots;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Intelligence.Data;

internal sealed class IntelligenceDbContext(DbContextOptions<IntelligenceDbContext> options) : DbContext(options)
{
    public const string Schema = "intelligence";

    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<SharingAgreement> SharingAgreements => Set<SharingAgreement>();
    public DbSet<SharingRule> SharingRules => Set<SharingRule>();
    public DbSet<AgencyRead> AgencyReads => Set<AgencyRead>();
    public DbSet<Person> Persons => Set<Person>();
    public DbSet<PersonIdentity> Identities => Set<PersonIdentity>();
    public DbSet<PersonName> Names => Set<PersonName>();
    public DbSet<Vehicle> Vehicles => Set<Vehicle>();
    public DbSet<AgencyRecord> Records => Set<AgencyRecord>();
    public DbSet<AccessRule> AccessRules => Set<AccessRule>();
    public DbSet<WatchlistEntry> Watchlist => Set<WatchlistEntry>();
    public DbSet<ReleaseNotification> ReleaseNotifications => Set<ReleaseNotification>();
    public DbSet<HotlistRequest> HotlistRequests => Set<HotlistRequest>();
    public DbSet<HotspotForecast> HotspotForecasts => Set<HotspotForecast>();
    public DbSet<HotspotCell> HotspotCells => Set<HotspotCell>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasOutbox();
        b.HasPostgresExtension("pg_trgm");
        b.HasPostgresExtension("fuzzystrmatch");
        // For the GIN index ix_person_names_birth_year_name (birth year, name trigrams), made in the migration BirthYearNameIndex
        // with SQL: EF cannot model an expression column in an index.
        b.HasPostgresExtension("btree_gin");
        b.Entity<Agency>(e =>
        {
            e.Property(a => a.Name).HasMaxLength(160);
            e.Property(a => a.Kind).HasMaxLength(40);
            e.Property(a => a.Sector).HasMaxLength(20).HasDefaultValue(AgencySectors.Public);
            e.Property(a => a.State).HasMaxLength(2);
            e.HasIndex(a => a.Name).IsUnique();
        });
        b.Entity<SharingRule>(e =>
        {
            e.Property(r => r.Name).HasMaxLength(160);
            e.Property(r => r.DataClass).HasMaxLength(40);
            e.Property(r => r.Citation).HasMaxLength(1000);
            e.Property(r => r.UpdatedBy).HasMaxLength(256);
            e.HasIndex(r => r.Name).IsUnique();
        });
        b.Entity<AgencyRead>(e =>
        {
            e.Property(r => r.DataClass).HasMaxLength(40);
            e.Property(r => r.Action).HasMaxLength(40);
            e.Property(r => r.Actor).HasMaxLength(256);
            e.HasIndex(r => r.At);
        });
        b.Entity<SharingAgreement>(e =>
        {
            e.Property(a => a.CreatedBy).HasMaxLength(256);
            e.HasIndex(a => new { a.FromAgencyId, a.ToAgencyId }).IsUnique();
        });
        b.Entity<Person>(e =>
        {
            e.Property(p => p.DisplayName).HasMaxLength(200);
            e.Property(p => p.Address).HasMaxLength(300);
            e.Property(p => p.District).HasMaxLength(40);
        });
        b.Entity<PersonIdentity>(e =>
        {
            e.ToTable("person_identities");
            e.Property(p => p.SourceId).HasMaxLength(100);
            e.Property(p => p.FirstName).HasMaxLength(80);
            e.Property(p => p.LastName).HasMaxLength(80);
            e.Property(p => p.MiddleName).HasMaxLength(80);
            e.Property(p => p.Address).HasMaxLength(300);
            e.Property(p => p.District).HasMaxLength(40);
            e.Property(p => p.LinkStatus).HasMaxLength(20);
            e.Ignore(p => p.FullName);
            e.HasIndex(p => new { p.AgencyId, p.SourceId }).IsUnique();
            e.HasIndex(p => p.PersonId);
            e.HasIndex(p => p.DateOfBirth);
            e.HasIndex(p => p.Identifiers).HasMethod("gin");
        });
        b.Entity<PersonName>(e =>
        {
            e.ToTable("person_names");
            e.Property(n => n.Name).HasMaxLength(200);
            e.Property(n => n.FirstName).HasMaxLength(80);
            e.Property(n => n.LastName).HasMaxLength(80);
            e.Property(n => n.Phonetic).HasMaxLength(40)
                .HasComputedColumnSql("(dmetaphone(first_name) || ' ' || dmetaphone(last_name))", stored: true);
            e.HasIndex(n => n.Name).HasMethod("gin").HasOperators("gin_trgm_ops");
            e.HasIndex(n => new { n.Phonetic, n.DateOfBirth });
            e.HasIndex(n => new { n.DateOfBirth, n.PersonId });
            // entity resolution's blocking keys (PersonResolver.CandidatesSql): the name either way round, a name word with a birth date
            // ... and the name search's word path (ADR 0058): both carry what the search reads of a row, so a probe is an index-only scan
            e.HasIndex(n => new { n.FirstName, n.LastName }).IncludeProperties(n => new { n.PersonId, n.AgencyId, n.DateOfBirth, n.IsAlias });
            e.HasIndex(n => new { n.LastName, n.FirstName }).IncludeProperties(n => new { n.PersonId, n.AgencyId, n.DateOfBirth, n.IsAlias });
            e.HasIndex(n => new { n.DateOfBirth, n.FirstName });
            e.HasIndex(n => new { n.DateOfBirth, n.LastName });
            e.HasIndex(n => n.IdentityId);
            e.HasIndex(n => n.PersonId);
        });
        b.Entity<Vehicle>(e =>
        {
            e.Property(v => v.Plate).HasMaxLength(16);
            e.Property(v => v.Region).HasMaxLength(16);
            e.Property(v => v.Make).HasMaxLength(40);
            e.Property(v => v.Model).HasMaxLength(40);
            e.Property(v => v.Colour).HasMaxLength(30);
            e.Ignore(v => v.Description);
            e.HasIndex(v => new { v.Plate, v.Region }).IsUnique();
            e.HasIndex(v => v.Plate).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_vehicles_plate_trgm");
            e.HasIndex(v => v.OwnerPersonId);
        });
        b.Entity<AgencyRecord>(e =>
        {
            e.ToTable("records");
            e.Property(r => r.Kind).HasMaxLength(30);
            e.Property(r => r.SourceId).HasMaxLength(100);
            e.Property(r => r.Status).HasMaxLength(40);
            e.Property(r => r.Summary).HasMaxLength(500);
            e.Property(r => r.SupervisingOfficer).HasMaxLength(256);
            e.Property(r => r.Address).HasMaxLength(300);
            e.Property(r => r.Details).HasConversion(
                    d => JsonSerializer.Serialize(d, JsonSerializerOptions.Web),
                    s => JsonSerializer.Deserialize<Dictionary<string, string>>(s, JsonSerializerOptions.Web) ?? new Dictionary<string, string>(),
                    new ValueComparer<Dictionary<string, string>>((a, c) => a!.Count == c!.Count && !a.Except(c).Any(), d => d.Count, d => new(d)))
                .HasColumnType("text");
            e.Property(r => r.SearchVector)
                .HasComputedColumnSql("to_tsvector('english', summary || ' ' || coalesce(address, '') || ' ' || coalesce(narrative, ''))", stored: true);
            e.HasIndex(r => new { r.AgencyId, r.Kind, r.SourceId }).IsUnique();
            e.HasIndex(r => new { r.PersonId, r.Kind });
            e.HasIndex(r => r.VehicleId);
            e.HasIndex(r => new { r.SupervisingOfficer, r.Kind });
            e.HasIndex(r => r.SearchVector).HasMethod("gin");
        });
        b.Entity<AccessRule>(e =>
        {
            e.ToTable("access_rules");
            e.Property(r => r.Role).HasMaxLength(40);
            e.Property(r => r.RecordKind).HasMaxLength(30);
            e.Property(r => r.Access).HasMaxLength(20);
            e.Property(r => r.Scope).HasMaxLength(20);
            e.HasIndex(r => new { r.Role, r.RecordKind, r.AgencyId }).IsUnique().AreNullsDistinct(false);
            e.HasData(DefaultAccessRules());
        });
        b.Entity<WatchlistEntry>(e =>
        {
            e.ToTable("watchlist");
            e.Property(w => w.Name).HasMaxLength(160);
            e.Property(w => w.Plate).HasMaxLength(16);
            e.Property(w => w.Criteria).HasMaxLength(40);
            e.Property(w => w.CreatedBy).HasMaxLength(256);
            e.Property(w => w.RemovedBy).HasMaxLength(256);
            e.HasIndex(w => w.PersonId);
            e.HasIndex(w => w.Plate);
        });
        b.Entity<ReleaseNotification>(e =>
        {
            e.HasIndex(r => r.BookingId).IsUnique();
        });
        b.Entity<HotlistRequest>(e =>
        {
            e.Property(h => h.Plate).HasMaxLength(16);
            e.Property(h => h.Region).HasMaxLength(16);
            e.Property(h => h.Reason).HasMaxLength(300);
            e.HasIndex(h => h.Plate);
            e.HasIndex(h => h.SourceRecordId);
        });
        b.Entity<HotspotForecast>(e =>
        {
            e.Property(f => f.CrimeType).HasMaxLength(100);
            e.Property(f => f.Model).HasMaxLength(20);
            e.HasIndex(f => new { f.CrimeType, f.Model, f.WindowStart }).IsUnique();
            e.HasIndex(f => f.WindowEnd).HasFilter("scored_at IS NULL").HasDatabaseName("ix_hotspot_forecasts_unscored");
            e.Property(f => f.Districts).HasConversion(
                    d => JsonSerializer.Serialize(d, JsonSerializerOptions.Web),
                    s => JsonSerializer.Deserialize<List<HotspotDistrictShare>>(s, JsonSerializerOptions.Web) ?? new List<HotspotDistrictShare>(),
                    new ValueComparer<List<HotspotDistrictShare>>((a, c) => a!.SequenceEqual(c!), d => d.Count, d => d.ToList()))
                .HasColumnType("jsonb");
            e.HasMany(f => f.Cells).WithOne().HasForeignKey(c => c.ForecastId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<HotspotCell>(e =>
        {
            e.ToTable("hotspot_cells");
            e.HasIndex(c => new { c.ForecastId, c.Rank }).IsUnique();
        });
    }

    /// <summary>
    /// The starting access matrix (administrators change it per agency and kind): officers see alerts, warrants and supervision flags but
    /// no court details; judges see court (sealed included) and criminal history but no live plate sightings and no incidents; probation
    /// officers see their supervisees fully, except plate sightings (none) and incidents (a summary without position: they learn that
    /// a supervisee's located record was near one, not where, and have no incident pages); analysts see what their agency's sharing
    /// agreements allow (sightings and incidents belong to no agency: any person the analyst may see).
    /// </summary>
    internal static IEnumerable<AccessRule> DefaultAccessRules()
    {
        const string F = AccessLevels.Full, S = AccessLevels.Summary, All = AccessScopes.All;
        var rules = new List<(string Role, string Kind, string Access, string Scope, bool Sealed)>();
        foreach (var kind in RecordKinds.All)
        {
            rules.Add((Roles.Administrator, kind, F, All, false));
            rules.Add((Roles.Commander, kind, F, All, false));
            rules.Add((Roles.Analyst, kind, F, AccessScopes.Shared, false));
            if (kind is not (RecordKinds.PlateSighting or RecordKinds.Incident))
                rules.Add((Roles.ProbationOfficer, kind, F, AccessScopes.Supervisees, false));
        }
        rules.AddRange([
            (Roles.Officer, RecordKinds.Person, F, All, false), (Roles.Officer, RecordKinds.Vehicle, F, All, false),
            (Roles.Officer, RecordKinds.Booking, S, All, false), (Roles.Officer, RecordKinds.Supervision, S, All, false),
            (Roles.Officer, RecordKinds.Warrant, F, All, false), (Roles.Officer, RecordKinds.CourtCase, S, All, false),
            (Roles.Officer, RecordKinds.CallForService, F, All, false), (Roles.Officer, RecordKinds.PlateSighting, F, All, false),
            (Roles.Officer, RecordKinds.Incident, F, All, false), (Roles.ProbationOfficer, RecordKinds.Incident, S, AccessScopes.Supervisees, false),
            (Roles.Judge, RecordKinds.Person, F, All, false), (Roles.Judge, RecordKinds.Vehicle, S, All, false),
            (Roles.Judge, RecordKinds.Booking, F, All, false), (Roles.Judge, RecordKinds.Supervision, F, All, false),
            (Roles.Judge, RecordKinds.Warrant, F, All, false), (Roles.Judge, RecordKinds.CourtCase, F, All, true),
        ]);
        return rules.Select(r => new AccessRule
        {
            Id = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{r.Role}|{r.Kind}")).AsSpan(0, 16)), Role = r.Role, RecordKind = r.Kind, Access = r.Access,
            Scope = r.Scope, IncludeSealed = r.Sealed,
        });
    }
}
