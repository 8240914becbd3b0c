namespace SafeCities.Benchmarks;

internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        "latency" => await LatencyBenchmark.RunAsync(args[1..]),
        SearchBenchmark.Name => await SearchBenchmark.RunAsync(args[1..]),
        LocateCommand.Name => LocateCommand.Run(args[1..], Console.Out),
        PlatesIngestBenchmark.Name => await PlatesIngestBenchmark.RunAsync(args[1..]),
        ReadingsIngestBenchmark.Name => await ReadingsIngestBenchmark.RunAsync(args[1..]),
        ColocationBenchmark.Name => await ColocationBenchmark.RunAsync(args[1..]),
        SoakBenchmark.Name => await SoakBenchmark.RunAsync(args[1..]),
        HotspotsBenchmark.Name => HotspotsBenchmark.Run(args[1..], Console.Out, Console.Error),
        AlertFanoutBenchmark.Name => await AlertFanoutBenchmark.RunAsync(args[1..]),
        RecordsBackloadBenchmark.Name => await RecordsBackloadBenchmark.RunAsync(args[1..]),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("""
            SafeCities benchmarks (run through scripts/bench, which starts the local PostgreSQL). Each prints the machine's other load during
            the run (from /proc) and takes --json <file> (- for standard output) to write its figures as one JSON object (README, Benchmarks):
              latency [--count 20]    gunshot alert → incident row on a Chromium command board (median/p90/p95/max)
              search [--persons 1000000] [--records 3000000] [--queries 300] [--runs 3] [--no-resolution] [--batch 1000] [--stream 20000]
                                      generated population loaded by binary COPY; searches through GET /api/v1/intelligence/search as
                                      a signed-in analyst: name + date of birth, name only (full, surname, first name), alias, each
                                      kind p50/p95/p99/max per run and the medians; entity-resolution precision/recall on generated
                                      near-duplicates and hard cases, and records/s over a stream of generated
                                      records in batches through the ingestion command (unless --no-resolution)
              records-backload [--records 1000000] [--chunk 1000] [--bad-every 5000]
                                      a person CSV back-loaded in chunks as the import page sends it; progress as the page shows it,
                                      total time, stored identities counted against the accepted lines, hostile lines by number
              locate --input <nlos_tuples_flat.csv> --output <estimates.csv> [--temperature C]
                                      multilateration of every shot in a ShotSpotter-format pulse table; error vs survey
              plates-ingest [--reads 300000] [--batch 250] [--clients 2,6,12] [--runs 3] [--readers 120] [--hotlist 1000000] [--repeats 5]
                            [--incidents 12]
                                      plate reads/s through POST /api/v1/plates/reads vs raw binary COPY of the same rows, both with
                                      synchronous_commit=on; 1 M hotlist entries (COPY, once a run), armed readers, 5 % repeated reads;
                                      median and spread of the runs at each client count, matching cost per read
              readings-ingest [--readings 200000] [--batch 100] [--clients 6] [--sensors 60] [--json file]
                                      environmental readings/s over MQTT (QoS 1) and POST /api/v1/sensors/readings, each vs raw binary
                                      COPY of the same rows; synchronous_commit=on, the demo's threshold rules evaluated
              colocation [--reads 10000000] [--rate 1000] [--queries 30] [--runs 3] [--explain]
                                      busy roads: 35 days of reads from readers at --rate reads an hour (binary COPY, timed);
                                      5-incident co-location queries at different places each time through the API as a signed-in
                                      analyst, on the app's own session settings (jit=off); p50/p95/p99/max per run and the medians
              soak [--minutes 10] [--nodes 1] [--rate 1000] [--boards 200] [--redis host:port] [--json file]
                                      mixed load: plate reads at a fixed rate (2 % re-sent), gunshots, audited searches, SignalR boards;
                                      throughput, p50/p99 per path, shed share, memory start/end, acknowledged vs stored reads;
                                      the nodes are app processes (Hangfire servers on) behind nginx; 2+ nodes share a Redis backplane
                                      (their own redis-server unless --redis names one)
              hotspots --input <csv> --date-col <name> --lat-col <name> --lon-col <name> --test-start <date> --weeks <n>
                       [--cell 150] [--share 0.01] [--output file.csv] [--json file]
                                      hotspot forecasts (kde, naive28, sepp, ewc, mixture) backtested on weekly windows, trained only on the past;
                                      hit rate, PAI, PEI per model and the time per window (no database needed)
              alert-fanout [--subscribers 100000] [--outside 20000] [--runs 3] [--json file]
                                      confirmed SMS subscribers (point + radius) around the city; per run one public alert approved over
                                      the API: approval → all deliveries enqueued, and → all delivered by the worker (simulated SMS driver)
            """);
        return 2;
    }
}
