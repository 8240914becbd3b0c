namespace SafeCities.Benchmarks;

internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        "latency" => await LatencyBenchmark.RunAsync(args[1..]),
        SearchBenchmark.Name => await SearchBenchmark.RunAsync(args[1..]),
        LocateCommand.Name => LocateCommand.Run(args[1..], Console.Out),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("""
            SafeCities benchmarks (run through scripts/bench, which starts the local PostgreSQL):
              latency [--count 20]    gunshot alert → incident row on a Chromium command board (median/p90/p95/max)
              search [--persons 1000000] [--records 3000000] [--queries 300]
                                      generated population loaded by binary COPY; name + date-of-birth search p50/p95 through the
                                      real query handler; entity-resolution precision/recall on generated near-duplicates
              locate --input <nlos_tuples_flat.csv> --output <estimates.csv> [--temperature C]
                                      multilateration of every shot in a ShotSpotter-format pulse table; error vs survey
            """);
        return 2;
    }
}
