using System.Text;

namespace SafeCities.Modules.Plates.Domain;

/// <summary>A list of plates to watch for: an agency's own list, an imported NCIC extract, an AMBER/missing-person list, or Intelligence's requests.</summary>
internal sealed class Hotlist
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    /// <summary><see cref="HotlistKinds"/>.</summary>
    public required string Kind { get; set; }
    /// <summary><see cref="AlertLevels"/>.</summary>
    public required string AlertLevel { get; set; }
    /// <summary>Why the list exists; an entry's own reason (e.g. the NCIC message key) wins when set.</summary>
    public required string Reason { get; set; }
    /// <summary>The agency or unit that owns the list and answers for its hits.</summary>
    public required string Owner { get; set; }
    /// <summary><see cref="HotlistVisibility"/>.</summary>
    public required string Visibility { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? ImportedAt { get; set; }
}

internal sealed class HotlistEntry
{
    public Guid Id { get; init; }
    public Guid HotlistId { get; init; }
    /// <summary>Normalised; may hold <c>*</c> (any run of characters) and <c>?</c> (one character).</summary>
    public required string Plate { get; init; }
    /// <summary>Null matches a read from any region.</summary>
    public string? Region { get; init; }
    public string? Reason { get; init; }
    /// <summary>The source's own reference: NCIC number, AMBER case number, Intelligence request id.</summary>
    public string? Reference { get; init; }
    /// <summary>Vehicle description from the source (make, colour…), shown with the hit.</summary>
    public string? Description { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset AddedAt { get; init; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    /// <summary>
    /// The lists' version (<c>plates.hotlist_version</c>) of the change that listed the entry as it is — by default the version its own
    /// transaction bumped to; an import keeps an unchanged entry's. A node adds the entries of versions newer than its matcher's base to
    /// that matcher instead of building a million entries again (ADR 0062).
    /// </summary>
    public long AddedVersion { get; init; }
}

/// <summary>
/// An extract being imported in chunks from the Hotlists page (each chunk validated and staged as it arrives, so the page shows the
/// server's progress); committing replaces the list's entries with the staged lines in one transaction.
/// </summary>
internal sealed class HotlistImport
{
    public Guid Id { get; init; }
    public Guid HotlistId { get; init; }
    public required string StartedBy { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CommittedAt { get; set; }
}

/// <summary>One staged line of an import: an accepted entry (<see cref="Plate"/> set) or a rejected line with its <see cref="Rejection"/>.</summary>
internal sealed class HotlistImportLine
{
    public Guid ImportId { get; init; }
    /// <summary>The file's line number (the header is line 1).</summary>
    public int Line { get; init; }
    public string? Plate { get; init; }
    public string? Region { get; init; }
    public string? Reason { get; init; }
    public string? Reference { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public string? Rejection { get; init; }
}

/// <summary>A read that matched an entry. Kept as evidence until released (<see cref="ReleasedAt"/>); one row per entry and read.</summary>
internal sealed class HotlistHit
{
    public Guid Id { get; init; }
    public Guid HotlistId { get; init; }
    public Guid EntryId { get; init; }
    public Guid PlateReadId { get; init; }
    public Guid ReaderId { get; init; }
    public required string ReadPlate { get; init; }
    public required string EntryPlate { get; init; }
    public required string Region { get; init; }
    public required string MatchKind { get; init; }
    public DateTimeOffset CapturedAt { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public DateTimeOffset DetectedAt { get; init; }
    /// <summary>Found by the look-back when the plate was listed, not live at ingestion.</summary>
    public bool Retroactive { get; init; }
    public DateTimeOffset? ReleasedAt { get; set; }
    public string? ReleasedBy { get; set; }
    /// <summary>The read's make and colour when the hit was recorded (the read itself may be deleted by retention; the hit is evidence).</summary>
    public string? ReadMake { get; init; }
    public string? ReadColor { get; init; }
    /// <summary><see cref="Contracts.HitDecisions"/>: unconfirmed until a person confirms or rejects it, once.</summary>
    public string Decision { get; private set; } = Contracts.HitDecisions.Unconfirmed;
    public string? DecisionReason { get; private set; }
    public string? DecisionNotes { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }

    /// <returns>False when the same decision was already made (nothing changes).</returns>
    public bool Decide(string decision, string reason, string? notes, string by, DateTimeOffset at)
    {
        if (Decision == decision)
            return false;
        if (Decision != Contracts.HitDecisions.Unconfirmed)
            throw new Shared.Messaging.DomainRuleException($"The hit was already {Decision} by {DecidedBy}; a decision is final.");
        Decision = decision;
        DecisionReason = reason;
        DecisionNotes = notes;
        DecidedAt = at;
        DecidedBy = by;
        return true;
    }
}

/// <summary>
/// When a list or an entry may expire: after now, and at most <see cref="MaxYearsAhead"/> years ahead (an expiry decades away is a typo, or
/// 9999-12-31 meant as "never": that is an empty expiry). The same rule for the API, the page and every line of an imported extract.
/// </summary>
internal static class HotlistExpiry
{
    public const int MaxYearsAhead = 10;

    /// <summary>Why <paramref name="at"/> is refused (a phrase to follow the field's name), or null.</summary>
    public static string? Refusal(DateTimeOffset at, DateTimeOffset now) =>
        at <= now ? "is in the past."
        : at > now.AddYears(MaxYearsAhead) ? $"is more than {MaxYearsAhead} years ahead; leave it empty for no expiry."
        : null;
}

internal static class HotlistKinds
{
    public const string Agency = "agency";
    public const string NcicStolen = "ncic-stolen";
    public const string NcicWanted = "ncic-wanted";
    public const string Amber = "amber";
    public const string Missing = "missing-person";
    public const string Intelligence = "intelligence";
    public static readonly IReadOnlyList<string> All = [Agency, NcicStolen, NcicWanted, Amber, Missing, Intelligence];
}

internal static class AlertLevels
{
    public const string High = "high";
    public const string Medium = "medium";
    public const string Low = "low";
    public static readonly IReadOnlyList<string> All = [High, Medium, Low];
}

internal static class HotlistVisibility
{
    /// <summary>Every member of command staff sees the list, its entries and its hits in full.</summary>
    public const string AllStaff = "all-staff";
    /// <summary>Only administrators, commanders and analysts see reasons and entries; officers' boards get the plate and "contact the owner".</summary>
    public const string Restricted = "restricted";
    public static readonly IReadOnlyList<string> All = [AllStaff, Restricted];
}

internal static class MatchKinds
{
    public const string Exact = "exact";
    public const string Wildcard = "wildcard";
    /// <summary>Same plate once look-alike characters are folded (O/0, I/1, B/8, S/5, Z/2).</summary>
    public const string Misread = "misread";
    /// <summary>The read lacks one character of the listed plate (after folding).</summary>
    public const string MissingCharacter = "missing-character";
    /// <summary>The read has one character more than the listed plate (after folding).</summary>
    public const string ExtraCharacter = "extra-character";
}

/// <summary>An entry as the matcher needs it.</summary>
internal sealed record MatchableEntry(Guid EntryId, Guid HotlistId, string Plate, string? Region, DateTimeOffset? ExpiresAt);

internal readonly record struct PlateMatch(MatchableEntry Entry, string Kind);

/// <summary>
/// In-memory index of the active entries (docs/adr/0049-hotlist-matcher-index.md): exact and folded plates and the one-character
/// deletions of the folded plates (the read is missing a character) as <see cref="PlateCode"/> numbers in <see cref="PlateCodeIndex"/>es,
/// the deletions of the read (it has one extra) looked up among the folded plates, and wildcard entries filed by their literal beginning or
/// end (<see cref="WildcardIndex"/>). A read costs about a dozen look-ups whatever the number of entries; no entry is scanned.
/// Each entry matches a read at most once, with its strongest kind (exact &gt; wildcard &gt; misread &gt; missing/extra).
/// </summary>
internal sealed class PlateMatcher
{
    /// <summary>Below this length a one-character difference matches too much to be useful.</summary>
    public const int MinTolerantLength = 4;

    private readonly MatchableEntry[] _entries;
    private readonly PlateCodeIndex _exact, _folded, _deletions;
    private readonly WildcardIndex _wildcards = new();
    /// <summary>For a matcher made by <see cref="With"/>: the matcher whose entries it adds to.</summary>
    private readonly PlateMatcher? _under;

    public PlateMatcher(IEnumerable<MatchableEntry> entries) : this(entries, under: null)
    {
    }

    private PlateMatcher(IEnumerable<MatchableEntry> entries, PlateMatcher? under)
    {
        _under = under;
        _entries = [.. entries];
        List<ulong> exact = [], folded = [], deletions = [];
        List<int> exactEntries = [], foldedEntries = [], deletionEntries = [];
        Span<byte> values = stackalloc byte[PlateNumber.MaxLength];
        Span<ulong> mine = stackalloc ulong[PlateNumber.MaxLength];
        for (var i = 0; i < _entries.Length; i++)
        {
            var plate = _entries[i].Plate;
            if (IsWildcard(plate))
            {
                _wildcards.Add(plate, i);
                continue;
            }
            if (PlateCode.Of(plate, fold: false) is var code and not PlateCode.None)
            {
                exact.Add(code);
                exactEntries.Add(i);
            }
            if (!PlateCode.Values(plate, fold: true, values))
                continue;   // not a plate any read can have
            var v = values[..plate.Length];
            folded.Add(PlateCode.Of(v));
            foldedEntries.Add(i);
            if (v.Length < MinTolerantLength + 1)
                continue;
            var n = 0;
            for (var skip = 0; skip < v.Length; skip++)
            {
                var d = PlateCode.Of(v, skip);
                if (mine[..n].Contains(d))
                    continue;   // "AA123" less either A is one deletion
                mine[n++] = d;
                deletions.Add(d);
                deletionEntries.Add(i);
            }
        }
        _exact = new PlateCodeIndex(exact, exactEntries);
        _folded = new PlateCodeIndex(folded, foldedEntries);
        _deletions = new PlateCodeIndex(deletions, deletionEntries);
        Count = _exact.Count + _wildcards.Count + (under?.Count ?? 0);
    }

    public int Count { get; }

    /// <summary>The matcher built from the full lists that this one adds to (itself, unless made by <see cref="With"/>).</summary>
    public PlateMatcher Base => _under ?? this;

    /// <summary>
    /// A matcher of <see cref="Base"/>'s entries and <paramref name="added"/> — every entry added or changed since the base was built —
    /// built in the time the added entries take, not the million the base holds (ADR 0062). An entry in both matches with the added
    /// details first; one withdrawn since still matches here, and the hit recorder refuses it.
    /// </summary>
    public PlateMatcher With(IEnumerable<MatchableEntry> added) => new(added, Base);

    public List<PlateMatch> Match(string plate, string region, DateTimeOffset at)
    {
        var found = MatchOwn(plate, region, at);
        if (_under is not null)
            foreach (var m in _under.Match(plate, region, at))
                if (!found.Exists(f => f.Entry.EntryId == m.Entry.EntryId))
                    found.Add(m);
        return found;
    }

    private List<PlateMatch> MatchOwn(string plate, string region, DateTimeOffset at)
    {
        var found = new List<PlateMatch>();
        TakeAll(found, _exact, PlateCode.Of(plate, fold: false), MatchKinds.Exact, region, at);
        if (_wildcards.Count > 0)
        {
            var candidates = _wildcards.Candidates(plate);
            foreach (var list in candidates)
                if (list is not null)
                    foreach (var w in list)
                        if (WildcardIndex.Matches(_entries[w].Plate, plate))
                            Take(found, w, MatchKinds.Wildcard, region, at);
        }
        Span<byte> values = stackalloc byte[PlateNumber.MaxLength];
        if (!PlateCode.Values(plate, fold: true, values))
            return found;
        var v = values[..plate.Length];
        var folded = PlateCode.Of(v);
        TakeAll(found, _folded, folded, MatchKinds.Misread, region, at);
        if (v.Length >= MinTolerantLength)
            TakeAll(found, _deletions, folded, MatchKinds.MissingCharacter, region, at);
        if (v.Length >= MinTolerantLength + 1)
            for (var skip = 0; skip < v.Length; skip++)
                TakeAll(found, _folded, PlateCode.Of(v, skip), MatchKinds.ExtraCharacter, region, at);
        return found;
    }

    private void TakeAll(List<PlateMatch> found, PlateCodeIndex index, ulong code, string kind, string region, DateTimeOffset at)
    {
        for (var (i, end) = index.Find(code); i < end; i++)
            Take(found, index.EntryAt(i), kind, region, at);
    }

    /// <summary>Adds the entry if it applies to the region and time and has not matched with a stronger kind already.</summary>
    private void Take(List<PlateMatch> found, int entry, string kind, string region, DateTimeOffset at)
    {
        var e = _entries[entry];
        if ((e.Region is not null && e.Region != region) || (e.ExpiresAt is not null && e.ExpiresAt <= at))
            return;
        foreach (var f in found)
            if (f.Entry.EntryId == e.EntryId)
                return;
        found.Add(new PlateMatch(e, kind));
    }

    public static bool IsWildcard(string plate) => plate.Contains('*') || plate.Contains('?');

    /// <summary>Folds look-alike characters to one form: O→0, I→1, B→8, S→5, Z→2.</summary>
    public static string Fold(string plate)
    {
        var sb = new StringBuilder(plate.Length);
        foreach (var c in plate)
            sb.Append(c switch { 'O' => '0', 'I' => '1', 'B' => '8', 'S' => '5', 'Z' => '2', _ => c });
        return sb.ToString();
    }

    public static IEnumerable<string> Deletions(string s)
    {
        for (var i = 0; i < s.Length; i++)
            yield return string.Concat(s.AsSpan(0, i), s.AsSpan(i + 1));
    }

    /// <summary>
    /// Every plate a read may carry to match <paramref name="plate"/> (not a wildcard) — as listed, with look-alikes (<see cref="Fold"/>),
    /// a character missing or one extra, as <see cref="Match"/> tolerates them: the look-back fetches those reads by the plate index.
    /// </summary>
    public static IEnumerable<string> Spellings(string plate)
    {
        var folded = Fold(plate);
        IEnumerable<string> kinds = [folded];
        if (folded.Length >= MinTolerantLength + 1)
            kinds = kinds.Concat(Deletions(folded));
        if (folded.Length >= MinTolerantLength)
            kinds = kinds.Concat(Insertions(folded));
        return kinds.SelectMany(Unfold);

        static IEnumerable<string> Insertions(string folded)
        {
            const string alphabet = "ACDEFGHJKLMNPQRTUVWXY0123456789"; // folded: no O I B S Z
            for (var i = 0; i <= folded.Length; i++)
                foreach (var c in alphabet)
                    yield return string.Concat(folded.AsSpan(0, i), [c], folded.AsSpan(i));
        }

        // Every plate that folds to it: each 0, 1, 8, 5 and 2 also as O, I, B, S and Z.
        static List<string> Unfold(string folded)
        {
            var spellings = new List<string> { folded };
            for (var i = 0; i < folded.Length; i++)
                if (folded[i] switch { '0' => 'O', '1' => 'I', '8' => 'B', '5' => 'S', '2' => 'Z', _ => '\0' } is var alike and not '\0')
                    for (int j = 0, count = spellings.Count; j < count; j++)
                    {
                        var chars = spellings[j].ToCharArray();
                        chars[i] = alike;
                        spellings.Add(new string(chars));
                    }
            return spellings;
        }
    }

    /// <summary><c>AB*123</c> → <c>AB%123</c> for SQL LIKE.</summary>
    public static string ToLike(string pattern) => pattern.Replace('*', '%').Replace('?', '_');

    /// <summary>A listed plate: letters, digits, <c>*</c> and <c>?</c>, 1–10 characters once normalised, and not only wildcards.</summary>
    public static bool IsValidEntry(string? plate) =>
        PlateNumber.Normalize(plate) is { Length: > 0 and <= PlateNumber.MaxLength } p && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or '?')
        && p.Count(char.IsAsciiLetterOrDigit) >= 2;
}
