using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Bogus;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Benchmarks;

/// <summary>
/// <c>records-backload [--records 1000000] [--chunk 1000] [--bad-every 5000]</c>: writes a county jail's person file as CSV (Bogus en_US
/// names, 15 % second records of an earlier person under a variant, every <c>bad-every</c>-th line hostile: a bad date, a field too many,
/// an unterminated quote), then back-loads it the way the Intelligence import page does — chunks of <c>chunk</c> lines, the header
/// repeated, each through <see cref="ImportRecordsCsvCommand"/> (the command behind
/// <c>POST /api/v1/intelligence/agencies/{id}/records-csv</c>), the next chunk sent when the last one is acknowledged. The progress line is
/// the page's bar: lines acknowledged (committed) over lines in the file. At the end the stored identities are counted in SQL against the
/// accepted lines, and the rejected line numbers against the planted ones.
/// </summary>
internal static class RecordsBackloadBenchmark
{
    public const string Name = "records-backload";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = BenchSupport.Arg(args, "--records", 1_000_000);
        var chunk = Math.Min(ImportRecordsCsvCommand.MaxLines, BenchSupport.Arg(args, "--chunk", ImportRecordsCsvCommand.MaxLines));
        var badEvery = BenchSupport.Arg(args, "--bad-every", 5000);
        var report = new JsonObject { ["records"] = count, ["chunk"] = chunk };
        await using var host = await BenchHost.StartAsync();
        await using var dataSource = NpgsqlDataSource.Create(host.ConnectionString);
        Console.WriteLine(await BenchSupport.DurabilityAsync(dataSource));

        var generation = Stopwatch.StartNew();
        var path = Path.Combine(Path.GetTempPath(), $"safecities-backload-{Environment.ProcessId}.csv");
        var planted = await WriteFileAsync(path, count, badEvery);
        Console.WriteLine($"wrote {count:N0} lines ({new FileInfo(path).Length / 1e6:0} MB, {planted.Count:N0} hostile) to {path} in {generation.Elapsed.TotalSeconds:0} s");

        Guid agency;
        await using (var scope = host.Services.CreateAsyncScope())
            agency = (await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RegisterAgencyCommand("Bench county jail", AgencyKinds.Jail))).Id;

        var machine = await MachineLoad.StartAsync(dataSource);
        var clock = Stopwatch.StartNew();
        var lines = await File.ReadAllLinesAsync(path);    // what the page does with the chosen file
        var header = lines[0];
        var body = lines.Length - 1;
        var (accepted, created, updated) = (0L, 0L, 0L);
        var rejected = new List<int>();
        var acknowledged = 0;
        var nextReport = 0.05;
        for (var i = 1; i < lines.Length; i += chunk)
        {
            var part = lines.AsSpan(i, Math.Min(chunk, lines.Length - i)).ToArray();
            await using var scope = host.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ISender>()
                .Send(new ImportRecordsCsvCommand(agency, header, i + 1, part, "bench"));
            (accepted, created, updated) = (accepted + result.Accepted, created + result.Created, updated + result.Updated);
            rejected.AddRange(result.Rejected.Select(r => r.Line));
            acknowledged += part.Length;
            var share = acknowledged / (double)body;
            if (share >= nextReport || acknowledged == body)
            {
                var rate = acknowledged / clock.Elapsed.TotalSeconds;
                Console.WriteLine($"  {share * 100,5:0.0} %  {acknowledged,9:N0} of {body:N0} lines acknowledged  {rate,6:0} lines/s  "
                    + $"elapsed {clock.Elapsed:mm\\:ss}  left ≈ {TimeSpan.FromSeconds((body - acknowledged) / rate):mm\\:ss}");
                while (nextReport <= share)
                    nextReport += 0.05;
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var load = machine.Stop();
        File.Delete(path);

        var stored = long.Parse(await BenchSupport.ScalarAsync(dataSource,
            $"SELECT count(*)::text FROM intelligence.person_identities WHERE agency_id = '{agency}'"), CultureInfo.InvariantCulture);
        var persons = long.Parse(await BenchSupport.ScalarAsync(dataSource, "SELECT count(DISTINCT person_id)::text FROM intelligence.person_identities"
            + $" WHERE agency_id = '{agency}'"), CultureInfo.InvariantCulture);
        var rejectedRight = rejected.Order().SequenceEqual(planted.Order());
        Console.WriteLine($"back-load of {body:N0} lines in chunks of {chunk}: {seconds:0} s ({seconds / 60:0.0} min, {body / seconds:0} lines/s)"
            + (seconds < 600 ? "  (target < 10 min: met)" : "  (target < 10 min: MISSED)"));
        Console.WriteLine($"  accepted {accepted:N0} ({created:N0} new, {updated:N0} updated), rejected {rejected.Count:N0}; stored identities {stored:N0} "
            + (stored == accepted ? "= accepted (the bar's 100 % is what is stored)" : "≠ accepted: THE BAR DID NOT TELL THE TRUTH") + $"; {persons:N0} persons");
        Console.WriteLine($"  rejected line numbers {(rejectedRight ? "are exactly the planted hostile lines" : "DIFFER from the planted hostile lines")}");
        Console.WriteLine(load);
        report["seconds"] = BenchSupport.Round(seconds);
        report["lines_per_s"] = BenchSupport.Round(body / seconds);
        report["accepted"] = accepted;
        report["rejected"] = rejected.Count;
        report["stored_identities"] = stored;
        report["persons"] = persons;
        report["rejected_lines_right"] = rejectedRight;
        BenchSupport.WriteJson(args, Name, report, load);
        return stored == accepted && rejectedRight ? 0 : 1;
    }

    /// <summary>Writes the file and returns the line numbers (1 = header) of the hostile lines.</summary>
    private static async Task<List<int>> WriteFileAsync(string path, int count, int badEvery)
    {
        var faker = new Faker("en") { Random = new Randomizer(1204) };
        var random = new Random(1204);
        var streets = Enumerable.Range(0, 3000).Select(_ => faker.Address.StreetName()).Distinct().ToArray();
        var firsts = Enumerable.Range(0, 5000).Select(_ => faker.Name.FirstName()).Distinct().ToArray();
        var lasts = Enumerable.Range(0, 5000).Select(_ => faker.Name.LastName()).Distinct().ToArray();
        var people = new List<(string First, string Last, DateOnly Dob, string Address)>(count);
        var planted = new List<int>();
        var minDob = new DateOnly(1940, 1, 1).DayNumber;
        var maxDob = new DateOnly(2006, 12, 31).DayNumber;
        await using var writer = new StreamWriter(path);
        await writer.WriteLineAsync("kind,sourceId,firstName,lastName,dateOfBirth,address,identifiers");
        for (var i = 0; i < count; i++)
        {
            var line = i + 2;
            (string First, string Last, DateOnly Dob, string Address) p;
            if (people.Count > 100 && random.Next(100) < 15)
            {
                var e = people[random.Next(people.Count)];
                p = random.Next(3) switch
                {
                    0 => e,
                    1 => e with { First = e.First.Length > 3 ? e.First.Remove(1 + random.Next(e.First.Length - 2), 1) : e.First },
                    _ => e with { Dob = e.Dob.Day <= 12 && e.Dob.Day != e.Dob.Month ? new DateOnly(e.Dob.Year, e.Dob.Day, e.Dob.Month) : e.Dob },
                };
            }
            else
            {
                p = (firsts[random.Next(firsts.Length)], lasts[random.Next(lasts.Length)], DateOnly.FromDayNumber(random.Next(minDob, maxDob)),
                    $"{random.Next(1, 9999)} {streets[random.Next(streets.Length)]}");
                people.Add(p);
            }
            var dob = p.Dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var ids = random.Next(4) == 0 ? $"fbi:{random.Next():x}" : "";
            if (badEvery > 0 && i % badEvery == badEvery - 1)
            {
                planted.Add(line);
                await writer.WriteLineAsync((i / badEvery % 3) switch
                {
                    0 => $"person,BK{i},{p.First},{p.Last},{p.Dob:dd/MM/yyyy},\"{p.Address}\",",           // not an ISO date
                    1 => $"person,BK{i},{p.First},{p.Last},{dob},\"{p.Address}\",,surplus",                  // a field too many
                    _ => $"person,BK{i},{p.First},\"{p.Last},{dob},{p.Address},",                             // unterminated quote
                });
                continue;
            }
            await writer.WriteLineAsync($"person,BK{i},{p.First},{p.Last},{dob},\"{p.Address}\",{ids}");
        }
        return planted;
    }
}
