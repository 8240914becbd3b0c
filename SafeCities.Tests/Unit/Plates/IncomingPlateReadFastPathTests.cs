using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Plates;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Features;

namespace SafeCities.Tests.Unit.Plates;

/// <summary>The hand-written fast check must never pass a read the rules refuse (ingestion skips the rules when it passes).</summary>
public sealed class IncomingPlateReadFastPathTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private static readonly IOptions<PlatesOptions> Options = Microsoft.Extensions.Options.Options.Create(new PlatesOptions());

    [Fact]
    public void The_fast_check_agrees_with_the_rules_on_good_and_bad_reads()
    {
        var clock = new FakeTimeProvider(Now);
        var rules = new IncomingPlateReadValidator(clock, Options) { FastPath = false };
        var fast = new IncomingPlateReadValidator(clock, Options);
        string?[] ids = ["r-1", "", " ", null, new string('x', 128), new string('x', 129)];
        string?[] plates = ["ABC-1234", "abc 12", "", "  ", null, "AB$1", "ABCDE-123456", "ABCDE12345", "ÄBC1"];
        string?[] regions = ["DC", " dc ", "", " ", null, "DISTRICTX", "D\u0001", "12345678"];
        DateTimeOffset?[] times = [Now.AddSeconds(-5), Now.AddSeconds(120), Now.AddSeconds(121), null, new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Now.AddDays(-30).AddSeconds(1), Now.AddDays(-30).AddSeconds(-1)];
        double?[] confidences = [0, 1, 0.5, -0.01, 1.01, null, double.NaN];
        string?[] texts = [null, "", "x", new string('m', 30), new string('m', 31), new string('m', 40), new string('m', 41)];
        var random = new Random(3);
        for (var i = 0; i < 20_000; i++)
        {
            var read = new IncomingPlateReadDto(Pick(ids), Pick(plates), Pick(regions), Pick(times), Pick(confidences), Pick(texts), Pick(texts), Pick(texts),
                random.Next(10) == 0 ? new string('i', 513) : Pick(texts));
            var byRules = rules.Validate(read).IsValid;
            Assert.True(byRules == fast.IsPlausible(read, Now), $"rules {byRules}, fast check {!byRules}: {read}");
            Assert.Equal(byRules, fast.Validate(read).IsValid);
        }

        T Pick<T>(T[] values) => values[random.Next(values.Length)];
    }
}
