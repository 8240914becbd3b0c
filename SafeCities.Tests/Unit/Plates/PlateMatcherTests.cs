using System.Text.RegularExpressions;
using SafeCities.Modules.Plates.Domain;

namespace SafeCities.Tests.Unit.Plates;

/// <summary>
/// The indexed matcher (ADR 0049) against the plain definition of each match kind, applied entry by entry to every read: the same
/// entries with the same (strongest) kind, for exact, look-alike, missing- and extra-character entries and every wildcard shape.
/// </summary>
public sealed class PlateMatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("ABC1234", "ABC1234", MatchKinds.Exact)]
    [InlineData("ABC1234", "A8C1234", MatchKinds.Misread)]          // B read as 8
    [InlineData("SOZ1234", "5022234", null)]                        // two look-alikes and a different character
    [InlineData("SOZ1234", "50Z1234", MatchKinds.Misread)]
    [InlineData("ABC1234", "ABC123", MatchKinds.MissingCharacter)]  // the read lacks the last character
    [InlineData("ABC1234", "ABCX1234", MatchKinds.ExtraCharacter)]
    [InlineData("ABC*", "ABC9", MatchKinds.Wildcard)]
    [InlineData("ABC*", "ABC", MatchKinds.Wildcard)]
    [InlineData("A?C12?4", "AXC1254", MatchKinds.Wildcard)]
    [InlineData("A?C12?4", "AXC125", null)]
    [InlineData("*XY7", "1234XY7", MatchKinds.Wildcard)]
    [InlineData("*XY7", "1234XY8", null)]
    [InlineData("*7Q*", "AB7QZ", MatchKinds.Wildcard)]
    [InlineData("*7Q*", "7Q", MatchKinds.Wildcard)]
    [InlineData("*7Q*", "AB7ZQ", null)]                             // the pair it is filed under, not side by side
    [InlineData("*7QX*", "7Q7QX7Q", MatchKinds.Wildcard)]           // a pair the read holds twice
    [InlineData("*?7Q?*", "A7QB", MatchKinds.Wildcard)]
    [InlineData("*?7Q?*", "7QB", null)]
    [InlineData("*7*Q*", "A7BQC", MatchKinds.Wildcard)]             // no two literals side by side: tried on every read
    [InlineData("?B*", "AB", MatchKinds.Wildcard)]
    [InlineData("ABC", "ABD", null)]                                // below the tolerant length: exact only
    public void A_read_matches_an_entry_with_its_kind(string entry, string read, string? kind)
    {
        var matcher = new PlateMatcher([Entry(entry)]);
        Assert.Equal(kind, matcher.Match(read, "DC", Now).SingleOrDefault().Kind);
    }

    [Fact]
    public void Region_and_expiry_limit_an_entry_and_each_entry_matches_once_with_its_strongest_kind()
    {
        var dcOnly = Entry("ABC1234", region: "DC");
        var expired = Entry("ABC1234", expires: Now.AddMinutes(-1));
        var twice = Entry("ABC12?4");   // a wildcard that the read also matches after folding: one match, as a wildcard
        var matcher = new PlateMatcher([dcOnly, expired, twice]);
        Assert.Equal([(dcOnly.EntryId, MatchKinds.Exact), (twice.EntryId, MatchKinds.Wildcard)],
            matcher.Match("ABC1234", "DC", Now).Select(m => (m.Entry.EntryId, m.Kind)).OrderBy(m => m.Kind));
        Assert.Equal([twice.EntryId], matcher.Match("ABC1234", "MD", Now).Select(m => m.Entry.EntryId));
        Assert.Equal(2, new PlateMatcher([dcOnly, twice]).Count);
    }

    [Fact]
    public void The_index_finds_exactly_what_checking_every_entry_finds()
    {
        var random = new Random(2026);
        const string alphabet = "ABOIS0158Z2XY7";   // few characters, many look-alikes: plenty of near matches
        string Plate(int min, int max) => new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var entries = new List<MatchableEntry>();
        for (var i = 0; i < 3000; i++)
        {
            var plate = Plate(2, 8);
            if (i % 10 == 0)
            {
                var chars = plate.ToCharArray();
                chars[random.Next(chars.Length)] = random.Next(3) == 0 ? '*' : '?';
                plate = random.Next(4) == 0 ? "*" + new string(chars) : new string(chars);
            }
            if (!PlateMatcher.IsValidEntry(plate))
                continue;
            entries.Add(Entry(plate, region: i % 7 == 0 ? "MD" : null, expires: i % 11 == 0 ? Now.AddMinutes(i % 2 == 0 ? 5 : -5) : null));
        }
        var matcher = new PlateMatcher(entries);
        var compared = 0;
        for (var r = 0; r < 3000; r++)
        {
            var read = random.Next(3) == 0 ? entries[random.Next(entries.Count)].Plate.Replace("*", "").Replace('?', 'X') : Plate(1, 9);
            if (read.Length == 0)
                continue;
            var region = r % 2 == 0 ? "MD" : "DC";
            var expected = entries.Select(e => (e.EntryId, Kind: Reference(e, read, region))).Where(x => x.Kind is not null).OrderBy(x => x.EntryId).ToList();
            var actual = matcher.Match(read, region, Now).Select(m => (m.Entry.EntryId, Kind: (string?)m.Kind)).OrderBy(x => x.EntryId).ToList();
            Assert.Equal(expected, actual);
            compared += expected.Count;
        }
        Assert.True(compared > 500, $"only {compared} matches compared: the generated reads must meet the entries often");
    }

    [Fact]
    public void The_spellings_a_look_back_fetches_are_exactly_the_reads_that_match_a_plate()
    {
        // The look-back fetches a listed plate's past reads by these spellings (ADR 0061): every read the matcher would match must be
        // among them, and nothing else.
        var random = new Random(61);
        const string alphabet = "ABOIS0158Z2XY7";
        string Plate(int min, int max) => new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var (matched, spelled) = (0, 0);
        for (var i = 0; i < 400; i++)
        {
            var entry = Entry(Plate(2, 8));
            if (!PlateMatcher.IsValidEntry(entry.Plate))
                continue;
            var spellings = PlateMatcher.Spellings(entry.Plate).ToHashSet();
            foreach (var spelling in spellings)
                Assert.True(Reference(entry, spelling, "DC") is not null, $"{spelling} is fetched for {entry.Plate} but does not match it");
            spelled += spellings.Count;
            var near = Enumerable.Range(0, 200).Select(_ => Near(entry.Plate)).Where(r => r.Length > 0);
            foreach (var read in near.Where(r => Reference(entry, r, "DC") is not null))
            {
                Assert.True(spellings.Contains(read), $"{read} matches {entry.Plate} but is not among its spellings");
                matched++;
            }
        }
        Assert.True(matched > 5_000 && spelled > 50_000, $"only {matched} matching reads and {spelled} spellings compared");

        // A read near the plate: look-alikes swapped, a character dropped, one added, or another one changed.
        string Near(string plate)
        {
            var chars = plate.ToList();
            switch (random.Next(4))
            {
                case 0:
                    chars.RemoveAt(random.Next(chars.Count));
                    break;
                case 1:
                    chars.Insert(random.Next(chars.Count + 1), alphabet[random.Next(alphabet.Length)]);
                    break;
                case 2:
                    chars[random.Next(chars.Count)] = alphabet[random.Next(alphabet.Length)];
                    break;
            }
            for (var k = 0; k < chars.Count; k++)
                chars[k] = random.Next(3) == 0 ? chars[k] switch { 'O' => '0', '0' => 'O', 'I' => '1', '1' => 'I', 'S' => '5', '5' => 'S', 'B' => '8', '8' => 'B', 'Z' => '2', '2' => 'Z', var c => c } : chars[k];
            return new string([.. chars]);
        }
    }

    [Fact]
    public void A_plate_code_is_the_same_exactly_when_the_text_is()
    {
        Assert.Equal(PlateCode.Of("ABC123", fold: false), PlateCode.Of("ABC123", fold: false));
        Assert.NotEqual(PlateCode.Of("ABC123", fold: false), PlateCode.Of("ABC1230", fold: false));
        Assert.NotEqual(PlateCode.Of("0ABC", fold: false), PlateCode.Of("ABC", fold: false));
        Assert.NotEqual(PlateCode.Of("A", fold: false), PlateCode.Of("0", fold: false));
        Assert.Equal(PlateCode.Of("012", fold: false), PlateCode.Of("OI2", fold: true));
        Assert.Equal(PlateCode.None, PlateCode.Of("AB.1", fold: false));
        Assert.Equal(PlateCode.None, PlateCode.Of("ABCDE123456", fold: false));
    }

    [Fact]
    public void The_prefilter_lets_every_listed_code_through_and_stops_most_others()
    {
        // A city-sized index (ADR 0057): every code it holds passes the prefilter and is found with all its entries; of codes it does
        // not hold, about 1 in 16 passes (the bit array has 16 to 32 bits a code), so most probes cost one memory read.
        var random = new Random(57);
        var codes = new List<ulong>();
        var entries = new List<int>();
        var listed = new HashSet<ulong>();
        var values = new byte[7];
        ulong Random7()
        {
            for (var i = 0; i < values.Length; i++)
                values[i] = (byte)random.Next(1, 37);
            return PlateCode.Of(values);
        }
        for (var i = 0; i < 200_000; i++)
        {
            var code = Random7();
            listed.Add(code);
            codes.Add(code);
            entries.Add(i);
            if (i % 50 == 0)   // a plate on two lists: one code, two entries
            {
                codes.Add(code);
                entries.Add(-i);
            }
        }
        var index = new PlateCodeIndex(codes, entries);
        var expected = codes.Zip(entries).ToLookup(p => p.First, p => p.Second);
        foreach (var code in listed)
        {
            Assert.True(index.MayHold(code));
            var (start, end) = index.Find(code);
            Assert.Equal(expected[code].Order(), Enumerable.Range(start, end - start).Select(index.EntryAt).Order());
        }
        var (absent, passed) = (0, 0);
        while (absent < 100_000)
        {
            var code = Random7();
            if (listed.Contains(code))
                continue;
            absent++;
            if (index.MayHold(code))
                passed++;
            Assert.Equal(0, index.Find(code).End - index.Find(code).Start);
        }
        Assert.InRange(passed / (double)absent, 0.0, 0.1);
    }

    /// <summary>The definitions, entry by entry: the strongest kind of <paramref name="e"/> for <paramref name="read"/>, or null.</summary>
    private static string? Reference(MatchableEntry e, string read, string region)
    {
        if ((e.Region is not null && e.Region != region) || (e.ExpiresAt is not null && e.ExpiresAt <= Now))
            return null;
        if (PlateMatcher.IsWildcard(e.Plate))
            return Regex.IsMatch(read, "^" + Regex.Escape(e.Plate).Replace("\\*", ".*").Replace("\\?", ".") + "$") ? MatchKinds.Wildcard : null;
        if (e.Plate == read)
            return MatchKinds.Exact;
        var (entry, seen) = (PlateMatcher.Fold(e.Plate), PlateMatcher.Fold(read));
        if (entry == seen)
            return MatchKinds.Misread;
        if (seen.Length >= PlateMatcher.MinTolerantLength && entry.Length == seen.Length + 1 && PlateMatcher.Deletions(entry).Contains(seen))
            return MatchKinds.MissingCharacter;
        if (seen.Length >= PlateMatcher.MinTolerantLength + 1 && seen.Length == entry.Length + 1 && PlateMatcher.Deletions(seen).Contains(entry))
            return MatchKinds.ExtraCharacter;
        return null;
    }

    [Fact]
    public void A_matcher_with_added_entries_matches_the_base_and_the_added_ones_and_an_entry_in_both_by_its_added_details()
    {
        var (kept, changed) = (Entry("ABC1234"), Entry("KTR4721", expires: Now.AddHours(-1)));
        var base_ = new PlateMatcher([kept, changed]);
        var added = Entry("XYZ*");
        // The changed entry listed again (same id) without its expiry, and a new wildcard entry.
        var matcher = base_.With([changed with { ExpiresAt = null }, added]);

        Assert.Same(base_, matcher.Base);
        Assert.Same(base_, matcher.With([added]).Base);   // added to the base again, not layered on the layer
        Assert.Equal(base_.Count + 2, matcher.Count);
        Assert.Equal(kept.EntryId, Assert.Single(matcher.Match("ABC1234", "DC", Now)).Entry.EntryId);
        Assert.Equal((added.EntryId, MatchKinds.Wildcard), Assert.Single(matcher.Match("XYZ99", "DC", Now)) is var w ? (w.Entry.EntryId, w.Kind) : default);
        // Expired in the base, not as added: matched once, with the added details.
        Assert.Empty(base_.Match("KTR4721", "DC", Now));
        var again = Assert.Single(matcher.Match("KTR4721", "DC", Now));
        Assert.Equal((changed.EntryId, (DateTimeOffset?)null), (again.Entry.EntryId, again.Entry.ExpiresAt));
        // An entry in both that both match: once, as added.
        var both = base_.With([kept]);
        Assert.Single(both.Match("ABC1234", "DC", Now));
    }

    private static MatchableEntry Entry(string plate, string? region = null, DateTimeOffset? expires = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), plate, region, expires);
}
