using SafeCities.Modules.Shared.Csv;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed class ImportRecordsCsvCommandValidator : AbstractValidator<ImportRecordsCsvCommand>
{
    public ImportRecordsCsvCommandValidator()
    {
        RuleFor(c => c.AgencyId).NotEmpty();
        RuleFor(c => c.Header).NotEmpty().Must(h => RecordsCsv.ParseHeader(h ?? "").Error is null)
            .WithMessage(c => RecordsCsv.ParseHeader(c.Header ?? "").Error ?? "");
        RuleFor(c => c.FirstLine).GreaterThanOrEqualTo(1);
        RuleFor(c => c.Lines).NotNull().Must(l => l.Count <= ImportRecordsCsvCommand.MaxLines)
            .WithMessage($"Send at most {ImportRecordsCsvCommand.MaxLines} lines per chunk.");
    }
}

/// <summary>
/// One chunk of a CSV back-load, <b>per-line acceptance</b>: every line that parses and validates is written (through the same
/// ingestion command as the API, so entity resolution, releases and warrants behave identically), every other line is rejected with its
/// number and reasons. Lines that fail only because of another line (a booking naming a person rejected in this chunk) are rejected too,
/// with that reason. Re-importing a file is safe: a sourceId already known updates its record.
/// </summary>
internal sealed partial class ImportRecordsCsvCommandHandler(IServiceScopeFactory scopes) : ICommandHandler<ImportRecordsCsvCommand, CsvImportResultDto>
{
    public async ValueTask<CsvImportResultDto> Handle(ImportRecordsCsvCommand command, CancellationToken ct)
    {
        var columns = RecordsCsv.ParseHeader(command.Header).Columns!;
        var rejected = new Dictionary<int, List<string>>();
        var candidates = new List<(int Line, RecordInput Input)>();
        var blank = 0;
        for (var i = 0; i < command.Lines.Count; i++)
        {
            var line = command.FirstLine + i;
            if (string.IsNullOrWhiteSpace(command.Lines[i]))
            {
                blank++;
                continue;
            }
            var (input, error) = RecordsCsv.ParseLine(command.Lines[i], columns);
            if (input is null)
                rejected[line] = [error!];
            else
                candidates.Add((line, input));
        }

        IngestResultDto? result = null;
        // Each round drops the lines the ingestion named and tries the rest again (a failed round writes nothing: the batch is one
        // transaction). Dependent lines fail in a later round, so a few rounds are enough; the bound guards against a loop.
        for (var round = 0; round < 10 && candidates.Count > 0; round++)
        {
            // a fresh scope per round: a rolled-back round must leave nothing tracked behind
            await using var scope = scopes.CreateAsyncScope();
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            try
            {
                result = await sender.Send(new IngestRecordsCommand(command.AgencyId, command.Actor, candidates.Select(c => c.Input).ToList()), ct);
                break;
            }
            catch (ValidationException ex)
            {
                var failing = new Dictionary<int, List<string>>();
                foreach (var e in ex.Errors)
                {
                    if (RecordIndex().Match(e.PropertyName) is not { Success: true } m)
                    {
                        // a failure not about one line (should not happen with per-line validation): reject every remaining line with it
                        foreach (var (line, _) in candidates)
                            Add(rejected, line, e.ErrorMessage);
                        candidates.Clear();
                        break;
                    }
                    var index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    var field = m.Groups[2].Value.TrimStart('.');
                    Add(failing, index, field.Length == 0 ? e.ErrorMessage : $"{field}: {e.ErrorMessage}");
                }
                foreach (var (index, reasons) in failing)
                    if (index < candidates.Count)
                        rejected[candidates[index].Line] = [.. rejected.GetValueOrDefault(candidates[index].Line) ?? [], .. reasons];
                var keep = candidates.Where((_, index) => !failing.ContainsKey(index)).ToList();
                if (keep.Count == candidates.Count)
                {
                    foreach (var (line, _) in candidates)
                        Add(rejected, line, "rejected with the rest of its chunk: " + string.Join("; ", ex.Errors.Select(x => x.ErrorMessage).Distinct()));
                    candidates.Clear();
                }
                else
                    candidates = keep;
            }
        }
        if (result is null)
            candidates.Clear();
        return new CsvImportResultDto(command.Lines.Count, candidates.Count, result?.Created ?? 0, result?.Updated ?? 0, blank,
            rejected.OrderBy(r => r.Key).Select(r => new CsvRejectedLineDto(r.Key, string.Join("; ", r.Value))).ToList());
    }

    private static void Add(Dictionary<int, List<string>> map, int key, string reason)
    {
        if (!map.TryGetValue(key, out var list))
            map[key] = list = [];
        if (!list.Contains(reason))
            list.Add(reason);
    }

    [GeneratedRegex(@"^Records\[(\d+)\](.*)$")]
    private static partial Regex RecordIndex();
}

/// <summary>
/// The back-load CSV format: a header naming any of <see cref="Columns"/> (case-insensitive, any order), one record per line (fields may
/// be quoted with "…", "" inside quotes is a quote; a record may not span lines). Lists (aliases, charges) are separated by '|',
/// identifiers are type:value pairs separated by '|'. For a person line, address and district are the person's; otherwise address is the record's.
/// </summary>
internal static class RecordsCsv
{
    public static IReadOnlyList<string> Columns => ImportRecordsCsvCommand.Columns;

    public static (IReadOnlyDictionary<string, int>? Columns, string? Error) ParseHeader(string header)
    {
        var (fields, error) = CsvLine.Split(header);
        if (error is not null)
            return (null, $"Header: {error}");
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim();
            var known = Columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                return (null, $"Header: unknown column '{name}' (known: {string.Join(", ", Columns)}).");
            if (!map.TryAdd(known, i))
                return (null, $"Header: column '{known}' appears twice.");
        }
        foreach (var required in new[] { "kind", "sourceId" })
            if (!map.ContainsKey(required))
                return (null, $"Header: column '{required}' is required.");
        return (map, null);
    }

    public static (RecordInput? Input, string? Error) ParseLine(string line, IReadOnlyDictionary<string, int> columns)
    {
        var (fields, error) = CsvLine.Split(line);
        if (error is not null)
            return (null, error);
        if (fields.Count != columns.Count)
            return (null, $"{fields.Count} fields, the header has {columns.Count}.");
        string? F(string name) => columns.TryGetValue(name, out var i) && fields[i].Trim() is { Length: > 0 } v ? v : null;
        var problems = new List<string>();
        T? Parse<T>(string name, Func<string, (bool, T)> parse) where T : struct
        {
            if (F(name) is not { } text)
                return null;
            var (ok, value) = parse(text);
            if (!ok)
                problems.Add($"{name}: '{text}' is not valid.");
            return ok ? value : null;
        }
        var dob = Parse("dateOfBirth", t => (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d), d));
        var started = Parse("startedAt", t => (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d), d));
        var ended = Parse("endedAt", t => (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d), d));
        var latitude = Parse("latitude", t => (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d), d));
        var longitude = Parse("longitude", t => (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d), d));
        var sealedFlag = Parse("sealed", Bool);
        var violent = Parse("violentOffence", Bool);
        Dictionary<string, string>? identifiers = null;
        if (F("identifiers") is { } ids)
        {
            identifiers = [];
            foreach (var pair in ids.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || colon == pair.Length - 1)
                    problems.Add($"identifiers: '{pair}' is not type:value.");
                else
                    identifiers[pair[..colon]] = pair[(colon + 1)..];
            }
        }
        if (problems.Count > 0)
            return (null, string.Join(" ", problems));

        var kind = F("kind") ?? "";
        var isPerson = kind == RecordKinds.Person;
        var person = isPerson || F("firstName") is not null || F("lastName") is not null
            ? new PersonInput(F("firstName") ?? "", F("lastName") ?? "", F("middleName"), List(F("aliases")), dob, identifiers,
                isPerson ? F("address") : null, F("district"))
            : null;
        var vehicle = kind == RecordKinds.Vehicle || F("plate") is not null
            ? new VehicleInput(F("plate") ?? "", F("region") ?? "", F("make"), F("model"), F("colour"))
            : null;
        return (new RecordInput(kind, F("sourceId") ?? "", F("personSourceId"), person, vehicle, started, ended, F("status"), F("facility"),
            List(F("charges")), F("supervisingOfficer"), F("conditions"), F("caseNumber"), F("disposition"), sealedFlag ?? false, F("callType"),
            latitude, longitude, isPerson ? null : F("address"), F("narrative"), violent ?? false), null);
    }

    private static (bool, bool) Bool(string t) => t.ToLowerInvariant() switch
    {
        "true" or "yes" or "y" or "1" => (true, true),
        "false" or "no" or "n" or "0" => (true, false),
        _ => (false, false),
    };

    private static List<string>? List(string? value) => value?.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
