using System.Diagnostics;
using SafeCities.Benchmarks;

namespace SafeCities.Tests.Unit.Benchmarks;

/// <summary>
/// Every benchmark prints the machine's other load beside its figures (issue 15): the CPU of what the benchmark itself started — the Chromium a
/// latency run draws the board in — is the benchmark's, not "other work" that marks every such run NOISY.
/// </summary>
public sealed class MachineLoadTests
{
    [Fact]
    public void A_process_the_benchmark_started_counts_as_the_benchmark_alive_or_ended()
    {
        // A grandchild (a shell's child, as Playwright's driver starts the browser) burning a core for 1.5 s and still alive when the figure is
        // taken; then a child that ended and was waited for.
        var load = MachineLoad.Start();
        using (var alive = Burn("sh -c 'timeout 3 sh -c \"while :; do :; done\"'"))
        {
            Thread.Sleep(1500);
            var figures = load.Stop();
            Assert.True(figures.BenchmarkCores >= 0.5, $"the running grandchild's core was not counted: {figures}");
            alive.Kill(entireProcessTree: true);
            alive.WaitForExit();
        }
        load = MachineLoad.Start();
        using (var ended = Burn("timeout 1.5 sh -c 'while :; do :; done'"))
            ended.WaitForExit();
        var after = load.Stop();
        Assert.True(after.BenchmarkCores >= 0.5, $"the ended child's core was not counted: {after}");
    }

    private static Process Burn(string command) =>
        Process.Start(new ProcessStartInfo("sh", ["-c", command]) { UseShellExecute = false }) ?? throw new InvalidOperationException("sh did not start");
}
