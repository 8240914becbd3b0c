using System.Linq.Expressions;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed record KindAccess(string Access, string Scope, bool IncludeSealed)
{
    public bool Full => Access == AccessLevels.Full;
}

/// <summary>
/// What one viewer may see, computed from the access rules (data) for their roles and agency, and applied inside every query as a
/// predicate, so nothing they may not see ever leaves the database. With several roles the most permissive rule per kind wins.
/// </summary>
internal sealed class AccessPlan
{
    public const string None = "none";

    private readonly Dictionary<string, KindAccess> kinds;
    public List<Guid> SharedAgencies { get; }
    public List<Guid> Supervisees { get; }

    private AccessPlan(Dictionary<string, KindAccess> kinds, List<Guid> shared, List<Guid> supervisees) =>
        (this.kinds, SharedAgencies, Supervisees) = (kinds, shared, supervisees);

    public KindAccess? For(string kind) => kinds.GetValueOrDefault(kind);

    /// <summary>
    /// Every agency's unsealed records, summary only: what a search would match if no rule withheld anything. Used only to count what the
    /// viewer's own plan withholds (never to return records); sealed records and narratives are left out so a count cannot reveal them.
    /// </summary>
    public static AccessPlan Unrestricted() =>
        new(RecordKinds.All.ToDictionary(k => k, _ => new KindAccess(AccessLevels.Summary, AccessScopes.All, false)), [], []);

    public IReadOnlyCollection<string> VisibleKinds => kinds.Keys;

    /// <summary>
    /// What the viewer may see of a kind owned by another module about one person (plate sightings, incidents): these belong to no
    /// agency, so scope <c>all</c> and <c>shared</c> cover any person the viewer may see and <c>supervisees</c> only their supervisees.
    /// </summary>
    public KindAccess? AboutPerson(string kind, Guid personId) =>
        For(kind) is { } access && (access.Scope != AccessScopes.Supervisees || Supervisees.Contains(personId)) ? access : null;

    public static async Task<AccessPlan> ForAsync(IntelligenceDbContext db, Viewer viewer, DateTimeOffset now, CancellationToken ct)
    {
        var roles = viewer.Roles.ToList();
        var rules = await db.AccessRules.AsNoTracking()
            .Where(r => roles.Contains(r.Role) && (r.AgencyId == null || r.AgencyId == viewer.AgencyId)).ToListAsync(ct);
        var kinds = new Dictionary<string, KindAccess>();
        foreach (var byRoleKind in rules.GroupBy(r => (r.Role, r.RecordKind)))
        {
            var rule = byRoleKind.OrderBy(r => r.AgencyId is null ? 1 : 0).First();   // the agency's own rule overrides the default
            if (rule.Access == None)
                continue;
            var candidate = new KindAccess(rule.Access, rule.Scope, rule.IncludeSealed);
            kinds[rule.RecordKind] = kinds.TryGetValue(rule.RecordKind, out var current) ? Wider(current, candidate) : candidate;
        }
        var shared = new List<Guid>();
        if (viewer.AgencyId is { } own)
        {
            shared.Add(own);
            shared.AddRange(await db.SharingAgreements.Where(s => s.ToAgencyId == own).Select(s => s.FromAgencyId).ToListAsync(ct));
        }
        var supervisees = new List<Guid>();
        if (kinds.Values.Any(k => k.Scope == AccessScopes.Supervisees))
        {
            var officer = viewer.Actor.ToLowerInvariant();
            supervisees = await db.Records.Where(r => r.Kind == RecordKinds.Supervision && r.SupervisingOfficer == officer && r.PersonId != null
                    && (r.EndedAt == null || r.EndedAt > now))
                .Select(r => r.PersonId!.Value).Distinct().ToListAsync(ct);
        }
        return new AccessPlan(kinds, shared, supervisees);
    }

    private static KindAccess Wider(KindAccess a, KindAccess b)
    {
        static int Rank(string scope) => scope switch { AccessScopes.All => 3, AccessScopes.Shared => 2, _ => 1 };
        return new KindAccess(a.Full || b.Full ? AccessLevels.Full : AccessLevels.Summary, Rank(a.Scope) >= Rank(b.Scope) ? a.Scope : b.Scope,
            a.IncludeSealed || b.IncludeSealed);
    }

    /// <summary>The records this viewer may see (any kind), as a SQL predicate.</summary>
    public Expression<Func<AgencyRecord, bool>> Records()
    {
        Expression<Func<AgencyRecord, bool>>? all = null;
        foreach (var (kind, access) in kinds)
        {
            if (kind is RecordKinds.Person or RecordKinds.Vehicle or RecordKinds.PlateSighting or RecordKinds.Incident)
                continue;
            var k = kind;
            var sealedOk = access.IncludeSealed;
            var shared = SharedAgencies;
            var supervisees = Supervisees;
            Expression<Func<AgencyRecord, bool>> one = access.Scope switch
            {
                AccessScopes.All => r => r.Kind == k && (sealedOk || !r.Sealed),
                AccessScopes.Shared => r => r.Kind == k && (sealedOk || !r.Sealed) && shared.Contains(r.AgencyId),
                _ => r => r.Kind == k && (sealedOk || !r.Sealed) && r.PersonId != null && supervisees.Contains(r.PersonId.Value),
            };
            all = all is null ? one : Or(all, one);
        }
        return all ?? (r => false);
    }

    public Expression<Func<PersonIdentity, bool>> Identities()
    {
        var shared = SharedAgencies;
        var supervisees = Supervisees;
        return For(RecordKinds.Person)?.Scope switch
        {
            AccessScopes.All => i => true,
            AccessScopes.Shared => i => shared.Contains(i.AgencyId),
            AccessScopes.Supervisees => i => supervisees.Contains(i.PersonId),
            _ => i => false,
        };
    }

    public Expression<Func<Vehicle, bool>> Vehicles()
    {
        var shared = SharedAgencies;
        var supervisees = Supervisees;
        return For(RecordKinds.Vehicle)?.Scope switch
        {
            AccessScopes.All => v => true,
            AccessScopes.Shared => v => shared.Contains(v.AgencyId),
            AccessScopes.Supervisees => v => v.OwnerPersonId != null && supervisees.Contains(v.OwnerPersonId.Value),
            _ => v => false,
        };
    }

    public RecordDto ToDto(AgencyRecord r, string agency)
    {
        var full = For(r.Kind)?.Full == true;
        return new RecordDto(r.Id, r.Kind, agency, r.SourceId, r.PersonId, r.StartedAt, r.EndedAt, r.Status, r.Summary,
            full ? AccessLevels.Full : AccessLevels.Summary, full ? r.Details : null, full ? r.Narrative : null, r.Sealed,
            full ? r.Latitude : null, full ? r.Longitude : null);
    }

    public VehicleHitDto ToDto(Vehicle v, string? ownerName) => For(RecordKinds.Vehicle)?.Full == true
        ? new VehicleHitDto(v.Id, v.Plate, v.Region, v.Description, v.OwnerPersonId, ownerName)
        : new VehicleHitDto(v.Id, v.Plate, v.Region, null, v.OwnerPersonId, null);

    private static Expression<Func<T, bool>> Or<T>(Expression<Func<T, bool>> a, Expression<Func<T, bool>> b)
    {
        var body = new Replace(b.Parameters[0], a.Parameters[0]).Visit(b.Body)!;
        return Expression.Lambda<Func<T, bool>>(Expression.OrElse(a.Body, body), a.Parameters[0]);
    }

    private sealed class Replace(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
