extern alias verify;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using SafeCities.Modules.Shared.Audit;
using Verifier = verify::SafeCities.AuditVerify.AuditChainVerifier;

namespace SafeCities.Tests.Integration.Audit;

/// <summary>
/// The audit log as a hash chain (issue 14, ADR 0046): an export verifies; an entry edited, deleted or moved directly in PostgreSQL by a
/// superuser is found by the verifier (the first broken entry named); a chain rewritten with fresh hashes is caught by the signed daily anchor;
/// concurrent writers keep one chain; scripts/audit-verify exits 0 / 1.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuditChainTests(AppFixture app)
{
    [Fact]
    public async Task A_clean_export_verifies_and_an_edited_row_is_named()
    {
        var ids = await AppendAsync(5);
        var clean = await ExportAsync(ids[0] - 1);
        var result = Verifier.Verify(clean);
        Assert.True(result.Intact, result.Problem);
        Assert.Contains(result.Notes, n => n.Contains($"id {ids[0]}", StringComparison.Ordinal));   // "starts at id N" or "the first entry of the log (id N)"

        // A superuser changes one entry's purpose (the append-only trigger is bypassed as only a superuser can).
        await TamperAsync(ids[0], $"UPDATE audit.entries SET purpose = 'routine patrol' WHERE id = {ids[2]}", async () =>
        {
            var broken = Verifier.Verify(await ExportAsync(ids[0] - 1));
            Assert.False(broken.Intact);
            Assert.Equal(ids[2], broken.ProblemId);
            Assert.Contains($"Entry {ids[2]} was changed", broken.Problem);
        });
        Assert.True(Verifier.Verify(await ExportAsync(ids[0] - 1)).Intact);   // restored
    }

    [Fact]
    public async Task A_deleted_row_is_reported_as_missing()
    {
        var ids = await AppendAsync(5);
        await TamperAsync(ids[0], $"DELETE FROM audit.entries WHERE id = {ids[2]}", async () =>
        {
            var broken = Verifier.Verify(await ExportAsync(ids[0] - 1));
            Assert.False(broken.Intact);
            Assert.Equal(ids[3], broken.ProblemId);
            Assert.Contains($"missing or reordered between id {ids[1]} and id {ids[3]}", broken.Problem);
        });
    }

    [Fact]
    public async Task Reordered_rows_are_caught_whether_ids_or_lines_are_swapped()
    {
        var ids = await AppendAsync(5);
        // Two entries swap places in the log (their ids exchanged).
        await TamperAsync(ids[0], $"""
            UPDATE audit.entries SET id = -1 WHERE id = {ids[1]};
            UPDATE audit.entries SET id = {ids[1]} WHERE id = {ids[2]};
            UPDATE audit.entries SET id = {ids[2]} WHERE id = -1
            """, async () =>
        {
            var broken = Verifier.Verify(await ExportAsync(ids[0] - 1));
            Assert.False(broken.Intact);
            Assert.Equal(ids[1], broken.ProblemId);
        });
        // The lines of a file swapped: the verifier goes by id, so a shuffled but complete export still verifies; two ids swapped in the file do not.
        var lines = (await ExportAsync(ids[0] - 1)).TrimEnd('\n').Split('\n');
        Assert.True(Verifier.Verify(string.Join('\n', [lines[0], .. lines[1..].Reverse()])).Intact);
        var (a, b) = (lines[2].Split(',')[0], lines[3].Split(',')[0]);
        lines[2] = b + lines[2][a.Length..];
        lines[3] = a + lines[3][b.Length..];
        Assert.False(Verifier.Verify(string.Join('\n', lines)).Intact);
    }

    [Fact]
    public async Task A_chain_rewritten_with_fresh_hashes_passes_alone_but_not_against_the_signed_anchor()
    {
        var ids = await AppendAsync(3);
        // Today's anchor is taken now (one written earlier in this run would lie before these entries).
        await app.ExecuteAsync("BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM audit.anchors WHERE day >= (now() AT TIME ZONE 'UTC')::date; COMMIT;");
        await AnchorTodayAsync();
        var anchorsJson = await app.Client().GetStringAsync("transparency/audit-anchors");   // anonymous: public
        var anchors = JsonNode.Parse(anchorsJson)!;
        var key = Convert.FromBase64String(anchors["publicKey"]!.GetValue<string>());
        var today = anchors["anchors"]!.AsArray().Single(x => x!["day"]!.GetValue<string>() == DateTime.UtcNow.ToString("yyyy-MM-dd"))!;
        var anchoredId = today["lastId"]!.GetValue<long>();
        Assert.True(anchoredId >= ids[^1]);
        var result = Verifier.Verify(await ExportAsync(ids[0] - 1), anchorsJson, key);
        Assert.True(result.Intact, result.Problem);
        Assert.Contains(result.Notes, n => n.Contains(" fall within the export and match it", StringComparison.Ordinal) && !n.Contains("; 0 fall", StringComparison.Ordinal));

        // A superuser edits an entry and recomputes every hash after it with the database's own function: the chain alone looks intact.
        await TamperAsync(ids[0], $"""
            UPDATE audit.entries SET purpose = 'rewritten' WHERE id = {ids[1]};
            DO $$ DECLARE r record; previous text;
            BEGIN
                SELECT hash INTO previous FROM audit.entries WHERE id = {ids[0]};
                FOR r IN SELECT * FROM audit.entries WHERE id > {ids[0]} ORDER BY id LOOP
                    UPDATE audit.entries SET prev_hash = previous,
                        hash = encode(sha256(audit.entry_content_v1(r.id, r.at, r.actor, r.module, r.action, r.purpose, r.details, previous)), 'hex')
                    WHERE id = r.id RETURNING hash INTO previous;
                END LOOP;
            END $$
            """, async () =>
        {
            var export = await ExportAsync(ids[0] - 1);
            Assert.True(Verifier.Verify(export).Intact);
            var broken = Verifier.Verify(export, anchorsJson, key);
            Assert.False(broken.Intact);
            Assert.Equal(anchoredId, broken.ProblemId);
            Assert.Contains("says", broken.Problem);
        });

        // A forged or re-signed anchor fails its signature; another key fails too.
        var forged = anchorsJson.Replace(today["lastHash"]!.GetValue<string>(), new string('a', 64), StringComparison.Ordinal);
        Assert.Contains("is not signed", Verifier.Verify(await ExportAsync(ids[0] - 1), forged, key).Problem);
        var otherKey = verify::SafeCities.AuditVerify.AuditChainFormat.PublicKey(verify::SafeCities.AuditVerify.AuditChainFormat.NewPrivateKey());
        Assert.False(Verifier.Verify(await ExportAsync(ids[0] - 1), anchorsJson, otherKey).Intact);
    }

    [Fact]
    public async Task Concurrent_writers_keep_one_chain()
    {
        var before = await app.CountAsync("SELECT coalesce(max(id), 0) FROM audit.entries");
        var marker = Guid.NewGuid().ToString("N");
        using var reviewer = app.AdminClient();
        // Eight connections append in their own transactions (two entries each, a pause between) while the app appends reviews of its own.
        var writers = Enumerable.Range(0, 8).Select(async w =>
        {
            await using var db = new NpgsqlConnection(app.ConnectionString);
            await db.OpenAsync();
            for (var round = 0; round < 5; round++)
            {
                await using var tx = await db.BeginTransactionAsync();
                await using var command = new NpgsqlCommand($$"""
                    INSERT INTO audit.entries (at, actor, module, action, purpose, details) VALUES (now(), 'writer-{{w}}', 'Platform', 'chain-test', '{{marker}}', '{"round":{{round}}}');
                    SELECT pg_sleep(0.005);
                    INSERT INTO audit.entries (at, actor, module, action, purpose, details) VALUES (now(), 'writer-{{w}}', 'Platform', 'chain-test', '{{marker}}', '{"round":{{round}}}');
                    """, db, tx);
                await command.ExecuteNonQueryAsync();
                await tx.CommitAsync();
            }
        });
        var reviews = Enumerable.Range(0, 8).Select(async _ => (await reviewer.GetAsync("api/v1/audit/?limit=1")).EnsureSuccessStatusCode());
        await Task.WhenAll([.. writers, .. reviews]);

        var export = await ExportAsync(before);
        var result = Verifier.Verify(export);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(80, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE purpose = '{marker}'"));
        Assert.Equal(80, export.Split('\n').Count(l => l.Contains(marker, StringComparison.Ordinal)));
        // One chain: no two entries name the same predecessor.
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM (SELECT prev_hash FROM audit.entries WHERE id > {before} GROUP BY 1 HAVING count(*) > 1) d"));
    }

    [Fact]
    public async Task The_script_exits_0_on_an_intact_export_and_1_naming_the_changed_entry()
    {
        var ids = await AppendAsync(3);
        await AnchorTodayAsync();
        var dir = Directory.CreateTempSubdirectory("audit-verify-");
        try
        {
            var csv = await ExportAsync(ids[0] - 1);
            var anchors = await app.Client().GetStringAsync("transparency/audit-anchors");
            var key = JsonNode.Parse(anchors)!["publicKey"]!.GetValue<string>();
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "export.csv"), csv);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "anchors.json"), anchors);
            var (code, output) = await RunScriptAsync(dir.FullName, "export.csv", "anchors.json", "--key", key);
            Assert.True(code == 0, output);
            Assert.Contains("INTACT", output);

            // The file edited by hand: one purpose changed.
            var line = csv.Split('\n').First(l => l.StartsWith($"{ids[1]},", StringComparison.Ordinal));
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "edited.csv"), csv.Replace(line, line.Replace("chain-fixture", "chain-fixturX", StringComparison.Ordinal), StringComparison.Ordinal));
            (code, output) = await RunScriptAsync(dir.FullName, "edited.csv", "anchors.json", "--key", key);
            Assert.True(code == 1, output);
            Assert.Contains($"BROKEN: Entry {ids[1]} was changed", output);

            (code, _) = await RunScriptAsync(dir.FullName);
            Assert.Equal(2, code);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task The_chain_export_is_for_reviewers_and_refuses_bad_ranges()
    {
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("api/v1/audit/chain")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().GetAsync("api/v1/audit/chain")).StatusCode);
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("api/v1/audit/chain?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("api/v1/audit/chain?after=-5")).StatusCode);
        // The public page shows the key and hashes, never an entry.
        var page = await app.Client().GetStringAsync("Transparency");
        Assert.Contains("id=\"audit-anchors\"", page);
        Assert.DoesNotContain("chain-fixture", page);
    }

    /// <summary>Appends <paramref name="count"/> entries through the app's own path (AuditLog.AuditAsync); their ids in order.</summary>
    private async Task<long[]> AppendAsync(int count)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        await app.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AuditDbContext>();
            for (var i = 0; i < count; i++)
                await db.AuditAsync("test-officer@example.org", "Platform", "chain-fixture", i % 2 == 0 ? $"{(i == 2 ? "=" : "")}case 2026-{i} chain-fixture {marker}" : null,
                    new { i, marker, note = "-leading dash, \"quotes\", commas\nand a newline" }, DateTimeOffset.UtcNow, default);
            return 0;
        });
        var ids = new List<long>();
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT id FROM audit.entries WHERE details->>'marker' = '{marker}' ORDER BY id", conn);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(reader.GetInt64(0));
        Assert.Equal(count, ids.Count);
        return [.. ids];
    }

    private async Task<string> ExportAsync(long after)
    {
        using var admin = app.AdminClient();
        var response = await admin.GetAsync($"api/v1/audit/chain?after={after}&limit=50000");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        // The export is itself audited (after the entries it holds): the verifier sees a chain that goes on past the file.
        return await response.Content.ReadAsStringAsync();
    }

    private Task AnchorTodayAsync() =>
        app.InScopeAsync(sp => sp.GetRequiredService<AnchorAuditLogJob>().AnchorThroughAsync(DateOnly.FromDateTime(DateTime.UtcNow), default));

    /// <summary>
    /// Runs <paramref name="sql"/> as a superuser past the append-only trigger (session_replication_role = replica), checks, then puts every
    /// entry from <paramref name="fromId"/> back as it was (the entries the checks appended meanwhile, the exports' own audit records, go).
    /// </summary>
    private async Task TamperAsync(long fromId, string sql, Func<Task> check)
    {
        var backup = "audit_backup_" + Guid.NewGuid().ToString("N");
        await app.ExecuteAsync($"CREATE TABLE public.{backup} AS SELECT * FROM audit.entries WHERE id >= {fromId}");
        try
        {
            await app.ExecuteAsync($"BEGIN; SET LOCAL session_replication_role = replica; {sql}; COMMIT;");
            await check();
        }
        finally
        {
            await app.ExecuteAsync($"""
                BEGIN; SET LOCAL session_replication_role = replica;
                DELETE FROM audit.entries WHERE id >= {fromId}; INSERT INTO audit.entries SELECT * FROM public.{backup};
                COMMIT; DROP TABLE public.{backup};
                """);
        }
    }

    internal static async Task<(int Code, string Output)> RunScriptAsync(string workingDirectory, params string[] args)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "SafeCities.sln")))
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new InvalidOperationException("No SafeCities.sln above the tests.");
        var start = new ProcessStartInfo(Path.Combine(root, "scripts", "audit-verify")) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await error);
    }
}
