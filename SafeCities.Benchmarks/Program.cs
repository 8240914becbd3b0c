namespace SafeCities.Benchmarks;

internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        "latency" => await LatencyBenchmark.RunAsync(args[1..]),
        LocateCommand.Name => LocateCommand.Run(args[1..], Console.Out),
        ColocationBenchmark.Name => await ColocationBenchmark.RunAsync(args[1..]),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("""
            SafeCities benchmarks (run through scripts/bench, which starts the local PostgreSQL):
              latency [--count 20]    gunshot alert → incident row on a Chromium command board (median/p90/p95/max)
              locate --input <nlos_tuples_flat.csv> --output <estimates.csv> [--temperature C]
                                      multilateration of every shot in a ShotSpotter-format pulse table; error vs survey
            """);
        return 2;
    }
}
