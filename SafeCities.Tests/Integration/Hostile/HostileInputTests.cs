using System.Diagnostics;
using Xunit.Abstractions;

namespace SafeCities.Tests.Integration.Hostile;

/// <summary>
/// Every operation of <c>/openapi/v1.json</c>: its valid request must succeed, then each of its hostile variants (<see cref="HostileVariants"/>)
/// must get an answer below 500, leave no error in the app's log, and, when refused, leave the tables of the operation's module (and the audit
/// log) as they were. A new endpoint is covered by being in the document; if the schema cannot make a valid request for it, the test fails
/// naming it until <see cref="HostileExamples"/> has one.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HostileInputTests(AppFixture app, ITestOutputHelper output)
{
    private const int MinimumVariants = 25;

    [Fact]
    public async Task Every_operation_answers_hostile_input_without_a_5xx_an_error_in_the_log_or_a_partial_write()
    {
        using var admin = app.AdminClient();
        var operations = OpenApi.Operations(JsonNode.Parse(await admin.GetStringAsync("openapi/v1.json"))!);
        Assert.NotEmpty(operations);
        var clock = Stopwatch.StartNew();
        var examples = new HostileExamples(app);
        await examples.ArrangeAsync();
        output.WriteLine($"arranged in {clock.Elapsed.TotalSeconds:0.0} s");
        await using var counts = new TableCounts(app.ConnectionString);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };

        var failures = new List<string>();
        var restores = new List<Func<Task>>();
        var sent = 0;
        Assert.All(HostileExamples.NotSent.Keys, key => Assert.Contains(operations, o => o.Key == key));
        foreach (var operation in operations.Where(o => !HostileExamples.NotSent.ContainsKey(o.Key)))
        {
            var example = await examples.ForAsync(operation);
            if (example?.Restore is { } restore)
                restores.Add(restore);
            var valid = Valid(operation, example);
            var mark = app.Logs.Mark;
            var (status, body) = await SendAsync(client, valid.With("valid request"));
            if (status is < 200 or >= 300)
            {
                failures.Add($"{operation}: the valid request answered {status} {Excerpt(body)} — give it a working example in {nameof(HostileExamples)}");
                continue;
            }
            if (app.Logs.ErrorsSince(mark) is [_, ..] validErrors)
                failures.Add($"{operation}: the valid request logged {string.Join(" | ", validErrors)}");

            var variants = HostileVariants.For(valid);
            if (variants.Count < MinimumVariants)
                failures.Add($"{operation}: only {variants.Count} hostile variants");
            var schemas = SchemasOf(operation);
            var before = await counts.TakeAsync(schemas);
            foreach (var variant in variants)
            {
                mark = app.Logs.Mark;
                (status, body) = await SendAsync(client, variant);
                sent++;
                var after = await counts.TakeAsync(schemas);
                if (status >= 500)
                    failures.Add($"{operation} — {variant.Name}: {status} {Excerpt(body)}");
                if (app.Logs.ErrorsSince(mark) is [_, ..] errors)
                    failures.Add($"{operation} — {variant.Name}: answered {status} and logged {string.Join(" | ", errors)}");
                // A lookup of something that does not exist is an answer, not a refusal (and a person lookup is audited either way).
                var refused = status is >= 400 and < 500 && !(status == 404 && operation.Method == "GET");
                // A look-up queued for a commander's approval, or whose approval cannot be used, is refused and audited by design (ADR 0047):
                // the audit log may grow, nothing else.
                var audited = status == 403 && body.Contains("\"approvalRequestId\"", StringComparison.Ordinal);
                if (refused && TableCounts.Changes(Without(before, audited), Without(after, audited)) is { Length: > 0 } changed)
                    failures.Add($"{operation} — {variant.Name}: refused with {status} but wrote {changed}");
                before = after;
            }
        }
        foreach (var restore in restores)
            await restore();
        output.WriteLine($"{operations.Count} operations, {sent} hostile requests in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n{string.Join("\n", failures.Take(150))}");
    }

    /// <summary>The schema's sample with the example's ids and values on top; required query parameters only.</summary>
    private ValidRequest Valid(ApiOperation operation, Example? example)
    {
        var path = operation.Parameters.Where(p => p.In == "path")
            .ToDictionary(p => p.Name, p => example?.Path?.GetValueOrDefault(p.Name) ?? OpenApi.Sample(p.Schema, p.Name)!.ToString());
        var query = example?.Query?.Select(q => (q.Key, q.Value)).ToList()
            ?? operation.Parameters.Where(p => p.In == "query" && p.Required).Select(p => (p.Name, OpenApi.Sample(p.Schema, p.Name)!.ToString())).ToList();
        var json = operation.Body is null || example?.Raw is not null ? null : OpenApi.Merge(OpenApi.Sample(operation.Body), example?.Body);
        return new ValidRequest(operation, example?.ApiKey ?? app.AdminKey, path, query, json, example?.Raw);
    }

    private static IReadOnlyDictionary<string, long> Without(IReadOnlyDictionary<string, long> counts, bool audited) =>
        audited ? counts.Where(c => c.Key != "audit.entries").ToDictionary(c => c.Key, c => c.Value) : counts;

    /// <summary>The schemas whose tables a refused request of the operation must leave alone: its module's, and the audit log.</summary>
    private static string[] SchemasOf(ApiOperation operation)
    {
        var area = operation.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2);
        string[] module = area switch
        {
            "sensors" or "lighting" or "video" or "plates" or "intelligence" => [area],
            "agencies" => ["platform", "intelligence"],
            "incidents" or "officers" or "alerts" => ["alerts"],
            "devices" => ["platform", "sensors", "lighting", "video", "plates"],
            "users" => ["platform"],
            _ when operation.Path.StartsWith("/open311/", StringComparison.Ordinal) => ["alerts"],
            _ => [],
        };
        return [.. module, "audit"];
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient client, HostileRequest request)
    {
        using var message = request.ToMessage();
        using var response = await client.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Excerpt(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
