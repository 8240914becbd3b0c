namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// The demo's choices about an incident (which unit attends, the outcome, whether and when someone calls it in), drawn from the incident's
/// id so that a restarted demo makes the same ones: a number in [0, n) from the id's random bits (a version 7 id's last eight bytes),
/// mixed with SplitMix64 — a different, independent draw for each <paramref name="salt"/>.
/// </summary>
internal static class DemoDraw
{
    public static int Of(Guid id, int n, ulong salt)
    {
        var x = BitConverter.ToUInt64(id.ToByteArray(), 8) ^ (salt * 0x9E3779B97F4A7C15UL);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return (int)((x ^ (x >> 31)) % (ulong)n);
    }
}
