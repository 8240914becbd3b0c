using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Tests.Unit;

/// <summary><see cref="UuidV7"/>: laid out as <see cref="Guid.CreateVersion7(DateTimeOffset)"/> lays a version 7 UUID out, and all different.</summary>
public sealed class UuidV7Tests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(250)]
    [InlineData(1000)]
    public void Ids_of_a_batch_are_version_7_of_their_time_and_all_different(int count)
    {
        var at = new DateTimeOffset(2026, 12, 5, 1, 2, 3, 456, TimeSpan.Zero);
        var ids = UuidV7.Create(count, at);

        Assert.Equal(count, ids.Length);
        Assert.Equal(count, ids.Distinct().Count());
        var reference = Guid.CreateVersion7(at).ToString()[..13];   // the 48 bits of milliseconds, as the runtime writes them
        foreach (var id in ids)
        {
            Assert.Equal(7, id.Version);
            Assert.Equal(0b10, id.Variant >> 2);
            Assert.Equal(reference, id.ToString()[..13]);
        }
        // The random bits are random: across a batch every bit position that is not fixed takes both values.
        if (count >= 64)
        {
            var bytes = ids.Select(id => id.ToByteArray(bigEndian: true)).ToList();
            for (var bit = 64 + 2; bit < 128; bit++)
                Assert.Contains(bytes, b => (b[bit / 8] >> (7 - bit % 8) & 1) == 1);
        }
    }
}
