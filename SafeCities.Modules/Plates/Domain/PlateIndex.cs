namespace SafeCities.Modules.Plates.Domain;

/// <summary>
/// A plate of up to <see cref="PlateNumber.MaxLength"/> ASCII letters and digits as one 64-bit number (docs/adr/0049-hotlist-matcher-index.md):
/// the length in the top 4 bits, then 6 bits a character. Two plates have the same code exactly when they are the same text, so the
/// matcher's indexes hold numbers, not strings (a million entries and their seven million one-character deletions fit in about 100 MB).
/// </summary>
internal static class PlateCode
{
    /// <summary>0: the plate cannot be coded (empty, too long, or a character other than A–Z, a–z, 0–9).</summary>
    public const ulong None = 0;

    /// <summary>The characters' values (1–62; 0 where a character cannot be coded), folded (O→0, I→1, B→8, S→5, Z→2) if asked.</summary>
    public static bool Values(ReadOnlySpan<char> plate, bool fold, Span<byte> values)
    {
        if (plate.Length is 0 || plate.Length > PlateNumber.MaxLength)
            return false;
        for (var i = 0; i < plate.Length; i++)
        {
            var c = plate[i];
            if (fold)
                c = c switch { 'O' => '0', 'I' => '1', 'B' => '8', 'S' => '5', 'Z' => '2', _ => c };
            values[i] = c switch
            {
                >= '0' and <= '9' => (byte)(c - '0' + 1),
                >= 'A' and <= 'Z' => (byte)(c - 'A' + 11),
                >= 'a' and <= 'z' => (byte)(c - 'a' + 37),
                _ => 0,
            };
            if (values[i] == 0)
                return false;
        }
        return true;
    }

    /// <summary>The code of <paramref name="values"/> without the character at <paramref name="skip"/> (-1: none skipped).</summary>
    public static ulong Of(ReadOnlySpan<byte> values, int skip = -1)
    {
        var length = skip < 0 ? values.Length : values.Length - 1;
        if (length == 0)
            return None;
        var code = (ulong)length << 60;
        var shift = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (i == skip)
                continue;
            code |= (ulong)values[i] << shift;
            shift += 6;
        }
        return code;
    }

    public static ulong Of(string plate, bool fold)
    {
        Span<byte> values = stackalloc byte[PlateNumber.MaxLength];
        return Values(plate, fold, values) ? Of(values[..plate.Length]) : None;
    }
}

/// <summary>
/// A read-only multimap from plate codes to entry numbers: the pairs sorted by a bijective mix of the code, and a directory of where each
/// bucket (the mix's top bits) starts. A look-up is a hash, an array read and a scan of about two pairs; no string, no allocation.
/// In front of it, a prefilter: one bit per slot of a bit array about <see cref="FilterBitsPerCode"/> times as long as the index, set
/// for every code's slot (the mix's low bits). Most probes of a read (its folded plate, its one-character deletions) are of codes no
/// entry has, and their bit is clear in about 15 of 16 cases: one memory read answers them, where the directory and the pairs cost two
/// cache misses in arrays of tens of megabytes (ADR 0057). A set bit only means "look": it never drops a code the index holds.
/// </summary>
internal sealed class PlateCodeIndex
{
    /// <summary>Bits of prefilter a code (rounded up to a power of two): about 1 in 16 absent codes passes to the directory.</summary>
    internal const int FilterBitsPerCode = 16;
    private readonly ulong[] _mixed;
    private readonly int[] _entries;
    private readonly int[] _directory;
    private readonly int _shift;
    private readonly ulong[] _filter;
    private readonly ulong _filterMask;

    public PlateCodeIndex(List<ulong> codes, List<int> entries)
    {
        _mixed = new ulong[codes.Count];
        for (var i = 0; i < _mixed.Length; i++)
            _mixed[i] = Mix(codes[i]);
        _entries = [.. entries];
        Array.Sort(_mixed, _entries);
        var bits = Math.Clamp((int)Math.Ceiling(Math.Log2(Math.Max(2, _mixed.Length))) - 1, 1, 30);
        _shift = 64 - bits;
        _directory = new int[(1 << bits) + 1];
        var at = 0;
        for (var bucket = 0; bucket < _directory.Length; bucket++)
        {
            _directory[bucket] = at;
            while (at < _mixed.Length && (int)(_mixed[at] >> _shift) == bucket)
                at++;
        }
        var filterBits = Math.Clamp((int)Math.Ceiling(Math.Log2(Math.Max(1L, (long)_mixed.Length * FilterBitsPerCode))), 6, 32);
        _filter = new ulong[1L << (filterBits - 6)];
        _filterMask = (1UL << filterBits) - 1;
        foreach (var m in _mixed)
            _filter[(m & _filterMask) >> 6] |= 1UL << (int)(m & 63);
    }

    public int Count => _mixed.Length;

    /// <summary>The positions [start, end) whose <see cref="EntryAt"/> are the entries of <paramref name="code"/>.</summary>
    public (int Start, int End) Find(ulong code)
    {
        if (code == PlateCode.None || _mixed.Length == 0)
            return (0, 0);
        var mixed = Mix(code);
        if (!Passes(mixed))
            return (0, 0);
        var bucket = (int)(mixed >> _shift);
        var (i, end) = (_directory[bucket], _directory[bucket + 1]);
        while (i < end && _mixed[i] < mixed)
            i++;
        var start = i;
        while (i < end && _mixed[i] == mixed)
            i++;
        return (start, i);
    }

    public int EntryAt(int position) => _entries[position];

    /// <summary>Whether the prefilter lets <paramref name="code"/> through to the directory (always, for a code the index holds).</summary>
    internal bool MayHold(ulong code) => Passes(Mix(code));

    private bool Passes(ulong mixed) => (_filter[(mixed & _filterMask) >> 6] & (1UL << (int)(mixed & 63))) != 0;

    /// <summary>A bijection of 64-bit numbers (multiplications by odd constants and xor-shifts) that spreads codes over the top bits.</summary>
    private static ulong Mix(ulong x)
    {
        x *= 0x9E3779B97F4A7C15UL;
        x ^= x >> 29;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 32;
        return x;
    }
}

/// <summary>
/// Wildcard entries (<c>*</c> any run, <c>?</c> one character) filed under their literal beginning (one or two characters), else their
/// literal end, else (a pattern that begins and ends with a wildcard, <c>*7QX*</c>) under the first two literal characters that stand
/// next to each other in it, which any plate it matches holds side by side: a read is tried only against patterns that can match it.
/// Only a pattern with no two literal characters side by side (<c>*7*Q*</c>, rare) is tried against every read (ADR 0057: the
/// NCIC-sized lists hold about 80 <c>*…*</c> patterns, and trying each on every read was a twentieth of the node's CPU).
/// </summary>
internal sealed class WildcardIndex
{
    private readonly Dictionary<string, List<int>> _byStart = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byEnd = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byInner = new(StringComparer.Ordinal);
    private readonly List<int> _anywhere = [];

    public int Count { get; private set; }

    public void Add(string pattern, int entry)
    {
        Count++;
        if (!IsWild(pattern[0]))
            Add(_byStart, pattern.Length > 1 && !IsWild(pattern[1]) ? pattern[..2] : pattern[..1], entry);
        else if (!IsWild(pattern[^1]))
            Add(_byEnd, pattern.Length > 1 && !IsWild(pattern[^2]) ? pattern[^2..] : pattern[^1..], entry);
        else if (InnerPair(pattern) is >= 0 and var at)
            Add(_byInner, pattern.Substring(at, 2), entry);
        else
            _anywhere.Add(entry);
    }

    /// <summary>Where the first two literal characters side by side stand in <paramref name="pattern"/>, or -1.</summary>
    private static int InnerPair(string pattern)
    {
        for (var i = 0; i + 1 < pattern.Length; i++)
            if (!IsWild(pattern[i]) && !IsWild(pattern[i + 1]))
                return i;
        return -1;
    }

    /// <summary>The lists of entries whose pattern may match <paramref name="plate"/> (nulls among them; the caller checks each with <see cref="Matches"/>).</summary>
    public List<int>?[] Candidates(string plate)
    {
        if (plate.Length == 0)
            return [];
        var start = _byStart.GetAlternateLookup<ReadOnlySpan<char>>();
        var end = _byEnd.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = plate.AsSpan();
        var found = new List<int>?[5 + (_byInner.Count > 0 ? Math.Max(0, plate.Length - 1) : 0)];
        found[0] = _anywhere;
        found[1] = start.TryGetValue(span[..1], out var s1) ? s1 : null;
        found[2] = span.Length > 1 && start.TryGetValue(span[..2], out var s2) ? s2 : null;
        found[3] = end.TryGetValue(span[^1..], out var e1) ? e1 : null;
        found[4] = span.Length > 1 && end.TryGetValue(span[^2..], out var e2) ? e2 : null;
        if (_byInner.Count == 0)
            return found;
        var inner = _byInner.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var i = 0; i + 1 < span.Length; i++)
        {
            // A pair the plate holds twice names its list once (else each of its patterns would be tried twice).
            if (span[..(i + 1)].IndexOf(span.Slice(i, 2)) >= 0)
                continue;
            found[5 + i] = inner.TryGetValue(span.Slice(i, 2), out var list) ? list : null;
        }
        return found;
    }

    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/> as a whole (<c>*</c>: any run, <c>?</c>: one character).</summary>
    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
                return false;
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }

    private static bool IsWild(char c) => c is '*' or '?';

    private static void Add(Dictionary<string, List<int>> index, string key, int entry)
    {
        if (!index.TryGetValue(key, out var list))
            index[key] = list = [];
        list.Add(entry);
    }
}
