using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;

namespace SafeCities.Modules.Intelligence.Resolution;

/// <summary>
/// Stores an agency's person record and links it to the person it describes: candidates come from the database (shared identifier,
/// same or transposed date of birth, similar or same-sounding name, aliases included), <see cref="PersonMatcher"/> scores them, and the
/// best at or above the threshold wins, with its evidence kept on the link. Otherwise the record starts a new person.
/// </summary>
internal sealed class PersonResolver(IntelligenceDbContext db)
{
    public async Task<IngestedRecordDto> UpsertAsync(Agency agency, int line, RecordInput input, DateTimeOffset now, CancellationToken ct)
    {
        var p = input.Person!;
        var facts = Facts(p);
        var identity = await db.Identities.SingleOrDefaultAsync(i => i.AgencyId == agency.Id && i.SourceId == input.SourceId, ct);
        var created = identity is null;
        if (identity is null)
        {
            var (personId, score, evidence) = await ResolveAsync(facts, ct);
            identity = new PersonIdentity
            {
                Id = Guid.CreateVersion7(), AgencyId = agency.Id, SourceId = input.SourceId, FirstName = "", LastName = "", ReceivedAt = now,
                LinkStatus = personId is null ? PersonIdentity.New : PersonIdentity.Auto, LinkScore = score, LinkEvidence = evidence,
            };
            if (personId is null)
            {
                personId = Guid.CreateVersion7();
                db.Persons.Add(new Person { Id = personId.Value, DisplayName = $"{p.FirstName.Trim()} {p.LastName.Trim()}", CreatedAt = now, UpdatedAt = now });
            }
            identity.PersonId = personId.Value;
            db.Identities.Add(identity);
        }
        else
        {
            await db.Names.Where(n => n.IdentityId == identity.Id).ExecuteDeleteAsync(ct);
        }
        identity.FirstName = p.FirstName.Trim();
        identity.LastName = p.LastName.Trim();
        identity.MiddleName = p.MiddleName?.Trim();
        identity.DateOfBirth = p.DateOfBirth;
        identity.Aliases = p.Aliases?.Select(a => a.Trim()).ToList() ?? [];
        identity.Identifiers = [.. facts.Identifiers];
        identity.Address = p.Address?.Trim() ?? identity.Address;
        identity.District = p.District?.Trim() ?? identity.District;
        identity.UpdatedAt = now;
        AddNames(identity);

        var person = await db.Persons.FindAsync([identity.PersonId], ct);
        person!.DateOfBirth ??= identity.DateOfBirth;
        person.Address = identity.Address ?? person.Address;
        person.District = identity.District ?? person.District;
        person.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return new IngestedRecordDto(line, input.Kind, input.SourceId, identity.Id, identity.PersonId, created,
            identity.LinkStatus == PersonIdentity.New ? "new person" : $"linked ({identity.LinkScore:0.00}): {string.Join("; ", identity.LinkEvidence)}");
    }

    internal static PersonFacts Facts(PersonInput p) => new(p.FirstName, p.LastName, p.Aliases ?? [], p.DateOfBirth,
        (p.Identifiers ?? new Dictionary<string, string>()).Select(kv => $"{kv.Key.Trim().ToLowerInvariant()}:{kv.Value.Trim().ToLowerInvariant()}").ToList());

    internal static PersonFacts Facts(PersonIdentity i) => new(i.FirstName, i.LastName, i.Aliases, i.DateOfBirth, i.Identifiers);

    private void AddNames(PersonIdentity identity)
    {
        var names = new List<(string First, string Last, bool Alias)> { (identity.FirstName, identity.LastName, false) };
        foreach (var alias in identity.Aliases)
        {
            var parts = PersonMatcher.Normalize(alias).Split(' ');
            if (parts.Length >= 2)
                names.Add((parts[0], parts[^1], true));
            else if (parts.Length == 1 && parts[0].Length > 0)
                names.Add((parts[0], PersonMatcher.Normalize(identity.LastName), true));
        }
        foreach (var (first, last, alias) in names.DistinctBy(n => (PersonMatcher.Normalize(n.First), PersonMatcher.Normalize(n.Last))))
        {
            var (f, l) = (PersonMatcher.Normalize(first), PersonMatcher.Normalize(last));
            db.Names.Add(new PersonName
            {
                PersonId = identity.PersonId, IdentityId = identity.Id, AgencyId = identity.AgencyId, FirstName = f, LastName = l, Name = $"{f} {l}",
                IsAlias = alias, DateOfBirth = identity.DateOfBirth,
            });
        }
    }

    private async Task<(Guid? PersonId, double Score, List<string> Evidence)> ResolveAsync(PersonFacts facts, CancellationToken ct)
    {
        var dobs = DateVariants(facts.DateOfBirth);
        var ids = facts.Identifiers.ToArray();
        var hasDob = facts.DateOfBirth is not null;
        var year = facts.DateOfBirth?.Year ?? 0;
        var names = new List<(string First, string Last)> { (PersonMatcher.Normalize(facts.FirstName), PersonMatcher.Normalize(facts.LastName)) };
        foreach (var alias in facts.Aliases)
            if (PersonMatcher.Normalize(alias).Split(' ') is { Length: >= 2 } parts)
                names.Add((parts[0], parts[^1]));
        var candidates = new HashSet<Guid>();
        if (ids.Length > 0)
            candidates.UnionWith(await db.Database.SqlQuery<Guid>(
                $"SELECT person_id AS \"Value\" FROM intelligence.person_identities WHERE identifiers && {ids}::text[]").ToListAsync(ct));
        foreach (var (first, last) in names)
        {
            var name = $"{first} {last}";
            // The same rows as "(same or varied dob AND similar or same-sounding name) OR (similar name AND (no dob on either side OR the same
            // birth year))", written as top-level OR arms that each have an index, so that PostgreSQL answers with one BitmapOr: the dob
            // index, the GIN (birth year, name trigrams) index — its key is date_part('year', …)::int exactly (extract() returns numeric and
            // misses it) — and the partial trigram index of names without a dob. Without a dob of our own, every similar name is a candidate.
            candidates.UnionWith(await (hasDob
                ? db.Database.SqlQuery<Guid>($"""
                    SELECT person_id AS "Value" FROM intelligence.person_names
                     WHERE (date_of_birth = ANY({dobs}) AND (similarity(name, {name}) > 0.25 OR phonetic = dmetaphone({first}) || ' ' || dmetaphone({last})))
                        OR (name % {name} AND date_part('year', date_of_birth)::int = {year})
                        OR (name % {name} AND date_of_birth IS NULL)
                     LIMIT 200
                    """)
                : db.Database.SqlQuery<Guid>($"""
                    SELECT person_id AS "Value" FROM intelligence.person_names WHERE name % {name} LIMIT 200
                    """)).ToListAsync(ct));
        }
        if (candidates.Count == 0)
            return (null, 0, []);
        var identities = await db.Identities.AsNoTracking().Where(i => candidates.Contains(i.PersonId)).ToListAsync(ct);
        var best = identities.Select(i => (i.PersonId, Match: PersonMatcher.Compare(facts, Facts(i)))).MaxBy(x => x.Match.Score);
        return best.Match.IsLink ? (best.PersonId, best.Match.Score, best.Match.Evidence.ToList()) : (null, best.Match.Score, []);
    }

    private static DateOnly[] DateVariants(DateOnly? dob)
    {
        if (dob is not { } d)
            return [];
        var list = new List<DateOnly> { d };
        if (d.Day <= 12 && d.Day != d.Month && DateOnly.TryParseExact($"{d.Year:0000}-{d.Day:00}-{d.Month:00}", "yyyy-MM-dd", out var swapped))
            list.Add(swapped);
        for (var delta = -9; delta <= 9; delta++)
            if (delta != 0 && d.Day + delta is >= 1 and <= 28)
                list.Add(d.AddDays(delta));
        return [.. list.Distinct()];
    }
}
