using System.Text.Json.Nodes;
using Mediator;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Purposes;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Integration.Audit;

/// <summary>
/// Issue 14, the supervisor's approval (ADR 0047): a look-up without a case number, or with a term on the sensitive list, is not run but queued to
/// commanders (403 with the request's id); a commander approves or denies with a reason (never their own request); the requester re-runs the exact
/// same look-up with the approval id once. Every request, decision and use is audited.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SearchApprovalTests(AppFixture app)
{
    private static async Task<(Guid Id, JsonNode Problem)> QueuedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{response.StatusCode} {text}");
        var problem = JsonNode.Parse(text)!;
        return (problem["approvalRequestId"]!.GetValue<Guid>(), problem);
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient commander, Guid id, bool approve, string? reason = "Robbery series, briefed by phone.") =>
        commander.PostAsJsonAsync($"api/v1/search-approvals/{id}/decision", new { approve, reason });

    [Fact]
    public async Task A_search_without_a_case_waits_for_a_commander_then_runs_once_exactly_as_approved()
    {
        var analystKey = await app.CreateClientKeyAsync(Roles.Analyst);
        using var analyst = app.Client(analystKey);
        using var otherAnalyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var words = IntelApi.Unique("tip from a witness about a grey van ");
        var search = $"api/v1/plates/search?plate=GV*&offence=robbery&purpose={Uri.EscapeDataString(words)}";

        // Not run: queued, and said so.
        var (id, problem) = await QueuedAsync(await analyst.GetAsync(search));
        Assert.Equal("pending", problem["approvalStatus"]!.GetValue<string>());
        Assert.Contains("no case number", problem["approvalReasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains($"approvalId={id}", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'search' AND purpose = '{words}'"));
        // Asking again while it waits gives the same request, not a second one.
        Assert.Equal(id, (await QueuedAsync(await analyst.GetAsync(search))).Id);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM platform.search_approvals WHERE purpose = '{words}'"));
        // In the commanders' queue with who, what and why; the requester sees its status.
        var queue = (await (await commander.GetAsync("api/v1/search-approvals")).ReadJsonAsync()).AsArray();
        var queued = queue.Single(a => a!["id"]!.GetValue<Guid>() == id)!;
        Assert.Equal("Plates/search", queued["lookupKind"]!.GetValue<string>());
        Assert.Contains("GV*", queued["terms"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(words, queued["purpose"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("api/v1/search-approvals")).StatusCode);   // analysts do not decide
        Assert.Equal("pending", (await (await analyst.GetAsync($"api/v1/search-approvals/{id}")).ReadJsonAsync())["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await otherAnalyst.GetAsync($"api/v1/search-approvals/{id}")).StatusCode);

        // Re-run before the decision: still waits.
        var early = await analyst.GetAsync($"{search}&approvalId={id}");
        Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);
        Assert.Contains("still waits", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A decision needs a reason; then the commander approves.
        Assert.Equal(HttpStatusCode.BadRequest, (await DecideAsync(commander, id, true, reason: null)).StatusCode);
        var decided = await DecideAsync(commander, id, true);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal("approved", (await decided.ReadJsonAsync())["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await DecideAsync(commander, id, false)).StatusCode);   // decided once
        var mine = (await (await analyst.GetAsync("api/v1/search-approvals/mine")).ReadJsonAsync()).AsArray();
        Assert.Equal("approved", mine.Single(a => a!["id"]!.GetValue<Guid>() == id)!["status"]!.GetValue<string>());

        // Only that user, only that exact look-up.
        var other = await analyst.GetAsync($"api/v1/plates/search?plate=GX*&offence=robbery&purpose={Uri.EscapeDataString(words)}&approvalId={id}");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("different look-up", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stranger = await otherAnalyst.GetAsync($"{search}&approvalId={id}");
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Contains("someone else", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The exact look-up runs once, audited with the approval.
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"{search}&approvalId={id}")).StatusCode);
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'search' AND purpose = '{words}'
              AND details->>'approvalId' = '{id}' AND details->>'offence' = 'robbery' AND details->>'caseNumber' IS NULL
            """));
        var again = await analyst.GetAsync($"{search}&approvalId={id}");
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Contains("used already", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("used", (await (await analyst.GetAsync($"api/v1/search-approvals/{id}")).ReadJsonAsync())["status"]!.GetValue<string>());

        // Every request, decision and use (and refused use) is in the audit chain.
        foreach (var (action, count) in new[] { ("approval-request", 1), ("approval-decision", 1), ("approval-use", 1), ("approval-use-refused", 4) })
            Assert.True(count == await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = '{action}' AND details->>'approvalId' = '{id}'"),
                $"{action}: expected {count}");
    }

    [Fact]
    public async Task A_sensitive_term_in_the_terms_or_the_purpose_is_queued_even_with_a_case()
    {
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var marker = IntelApi.Unique("m");
        var (_, byPurpose) = await QueuedAsync(await analyst.GetAsync(
            $"api/v1/plates/search?plate=PR*&{Stated.Query}&purpose={Uri.EscapeDataString($"vehicles at the Protests downtown {marker}")}"));
        Assert.Contains("sensitive term 'protest'", byPurpose["approvalReasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.DoesNotContain("no case number", byPurpose["approvalReasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        var (_, byTerms) = await QueuedAsync(await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&text={Uri.EscapeDataString("outside the mosque")}&name={marker}"));
        Assert.Contains("sensitive term 'mosque'", byTerms["approvalReasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        var (_, twoWords) = await QueuedAsync(await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&text={Uri.EscapeDataString("immigration status")}&name={marker}"));
        Assert.Contains("sensitive term 'immigration status'", twoWords["approvalReasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        // Whole words only: "unionville" is not "union".
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&address=Unionville&name={marker}")).StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'search' AND purpose LIKE '%{marker}%'"));
    }

    [Fact]
    public async Task A_commander_cannot_approve_their_own_request_and_a_denied_request_does_not_run()
    {
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        using var second = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var words = IntelApi.Unique("own request ");
        var colocation = new
        {
            incidents = new[] { new { latitude = 38.85, longitude = -76.99, occurredAt = DateTimeOffset.UtcNow.AddHours(-3) },
                                new { latitude = 38.86, longitude = -76.99, occurredAt = DateTimeOffset.UtcNow.AddHours(-2) } },
            radiusMeters = 300, windowMinutes = 15, minIncidents = 2, offence = "assault", purpose = words,
        };
        var (id, _) = await QueuedAsync(await commander.PostAsJsonAsync("api/v1/plates/colocation", colocation));
        var own = await DecideAsync(commander, id, true);
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("your own", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(second, id, false, "No case opened yet: open one first.")).StatusCode);
        var denied = await commander.PostAsJsonAsync("api/v1/plates/colocation", new
        {
            colocation.incidents, colocation.radiusMeters, colocation.windowMinutes, colocation.minIncidents, colocation.offence, colocation.purpose, approvalId = id,
        });
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("denied", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("open one first", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'colocation' AND purpose = '{words}'"));
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'approval-decision' AND details->>'approvalId' = '{id}' AND details->>'decision' = 'denied'
              AND details->>'reason' LIKE 'No case opened yet%'
            """));
    }

    [Fact]
    public async Task An_approved_person_view_runs_once()
    {
        var (feedAgency, feedKey) = await app.RegisterAgencyAsync("police");
        _ = feedAgency;
        var sourceId = IntelApi.Unique("p");
        var last = IntelApi.Unique("Approved");
        var person = IntelApi.PersonIdOf(await app.PushOkAsync(feedKey, IntelApi.Person(sourceId, "Ada", last, "1984-02-03")), sourceId);
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var view = $"api/v1/intelligence/persons/{person}?offence=fraud&purpose={Uri.EscapeDataString("caller says she was defrauded " + last)}";
        var (id, _) = await QueuedAsync(await analyst.GetAsync(view));
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(commander, id, true)).StatusCode);
        var seen = await analyst.GetAsync($"{view}&approvalId={id}");
        Assert.True(seen.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, seen.StatusCode.ToString());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'view-person' AND details->>'approvalId' = '{id}'"));
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"{view}&approvalId={id}")).StatusCode);
    }

    [Fact]
    public async Task An_approved_look_up_that_fails_without_answering_gives_its_approval_back_and_a_refusal_does_not()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var gate = new PurposeGateBehavior<SearchPlateReadsCommand, PlateSearchResultDto>(scope.ServiceProvider.GetRequiredService<PurposePolicy>(), sender);
        var actor = IntelApi.Unique("analyst-");
        async Task<SearchPlateReadsCommand> ApprovedAsync(string words)
        {
            var search = new SearchPlateReadsCommand(actor, null, words, "FL*", false, null, null, null, null, null, null, null, null, null, Offence: "robbery");
            var queued = await Assert.ThrowsAsync<DomainRuleException>(async () => await sender.Send(search));
            var id = (Guid)queued.Extensions![ApprovalProblem.RequestId]!;
            await sender.Send(new DecideSearchApprovalCommand(id, "commander-on-duty", true, "Robbery series, briefed by phone."));
            return search with { ApprovalId = id };
        }
        async Task<bool> IsAsync(Guid id, string status) =>
            await app.CountAsync($"SELECT count(*) FROM platform.search_approvals WHERE id = '{id}' AND status = '{status}'") == 1;
        Task<long> AuditedAsync(string action, Guid id) => app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = '{action}' AND details->>'approvalId' = '{id}'");

        // The look-up times out after the approval was used: nothing was answered, so the approval is approved again, and says why.
        var failing = await ApprovedAsync(IntelApi.Unique("witness saw a van leave the bank "));
        var id = failing.ApprovalId!.Value;
        await Assert.ThrowsAsync<TimeoutException>(async () => await gate.Handle(failing, (_, _) => throw new TimeoutException(), CancellationToken.None));
        Assert.True(await IsAsync(id, SearchApprovalStatuses.Approved));
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'approval-returned' AND actor = '{actor}' AND details->>'approvalId' = '{id}'
              AND details->>'failure' = 'TimeoutException'
            """));
        // Then it runs, once, through the real look-up.
        await sender.Send(failing);
        Assert.True(await IsAsync(id, SearchApprovalStatuses.Used));
        Assert.Equal(2, await AuditedAsync("approval-use", id));
        var again = await Assert.ThrowsAsync<DomainRuleException>(async () => await sender.Send(failing));
        Assert.Contains("used already", again.Message, StringComparison.Ordinal);

        // A refusal is an answer: the approval stays used.
        var refused = await ApprovedAsync(IntelApi.Unique("witness saw a car leave the bank "));
        var refusedId = refused.ApprovalId!.Value;
        await Assert.ThrowsAsync<DomainRuleException>(async () =>
            await gate.Handle(refused, (_, _) => throw new DomainRuleException("Not found.", 404), CancellationToken.None));
        Assert.True(await IsAsync(refusedId, SearchApprovalStatuses.Used));
        Assert.Equal(0, await AuditedAsync("approval-returned", refusedId));
    }
}
