using System.Net;
using System.Net.Http.Headers;
using System.Xml;
using System.Xml.Linq;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Alerts.InboundCap;

/// <summary>
/// Polls the subscribed CAP feeds (ADR 0038): a conditional GET (<c>If-None-Match</c>, <c>If-Modified-Since</c>); a 304 costs nothing; a CAP
/// message is received as a push is (<see cref="ReceiveInboundCapCommand"/>: same parser, idempotency, Update/Cancel); an Atom or RSS index has
/// its new entries' CAP messages fetched (on the feed's own host only, at most <see cref="CapFeedLimits.MaxEntriesPerPoll"/> a poll) and
/// received. A failure is recorded on the feed and changes nothing else: the validators are kept only when every entry was dealt with, so
/// the next poll tries again. The feed row is written with one statement at the end (the receive handler shares the scope's context).
/// </summary>
internal sealed class CapFeedPoller(AlertsDbContext db, ISender sender, IHttpClientFactory httpClients, TimeProvider clock, ILogger<CapFeedPoller> logger)
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";
    private static readonly XmlReaderSettings SafeXml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = CapFeedLimits.MaxIndexBytes, IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Polls every enabled feed whose interval has passed; answers how many were polled.</summary>
    public async Task<int> PollDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var feeds = await db.CapFeeds.AsNoTracking().Where(f => f.Enabled).OrderBy(f => f.Id).ToListAsync(ct);
        var due = feeds.Where(f => f.LastPolledAt is not { } last || last.AddSeconds(f.IntervalSeconds) <= now.AddSeconds(5)).ToList();
        foreach (var feed in due)
            await PollAsync(feed, ct);
        return due.Count;
    }

    public async Task PollAsync(InboundCapFeed feed, CancellationToken ct)
    {
        var outcome = new Outcome(feed);
        try
        {
            var client = httpClients.CreateClient(CapFeedLimits.HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, feed.Url);
            if (feed.ETag is { } etag)
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            if (feed.LastModified is { } modified)
                request.Headers.TryAddWithoutValidation("If-Modified-Since", modified);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode == HttpStatusCode.NotModified)
                outcome.Result = "304 not modified";
            else if (!response.IsSuccessStatusCode)
                outcome.Fail($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            else if (await ReadAsync(response, CapFeedLimits.MaxIndexBytes, ct) is not { } body)
                outcome.Fail($"The feed is larger than {CapFeedLimits.MaxIndexBytes / 1024 / 1024} MB.");
            else
            {
                outcome.Changed = true;
                var complete = await ReceiveDocumentAsync(feed, response.RequestMessage?.RequestUri ?? new Uri(feed.Url), body, outcome, ct);
                if (complete)
                    (outcome.ETag, outcome.LastModified) = (response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
            }
        }
        catch (Exception e) when (e is HttpRequestException or XmlException or IOException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            outcome.Fail(e is TaskCanceledException ? $"No answer within {CapFeedLimits.Timeout.TotalSeconds:0} s." : e.Message);
        }
        await SaveAsync(feed, outcome, ct);
        if (outcome.Error is not null)
            logger.LogWarning("CAP feed {Feed} ({Url}): {Error}", feed.Name, feed.Url, outcome.Error);
    }

    /// <summary>A CAP message, or an Atom/RSS index of them. False when an entry could not be fetched (the next poll retries it).</summary>
    private async Task<bool> ReceiveDocumentAsync(InboundCapFeed feed, Uri location, byte[] body, Outcome outcome, CancellationToken ct)
    {
        XElement root;
        using (var reader = XmlReader.Create(new MemoryStream(body), SafeXml))
            root = XElement.Load(reader);
        if (root.Name.LocalName == "alert")
        {
            await ReceiveAsync(feed, location.ToString(), body, outcome, ct);
            return true;
        }
        var entries = root.Name == XName.Get("feed", AtomNamespace) ? AtomEntries(root, location)
            : root.Name.LocalName == "rss" ? RssEntries(root, location)
            : null;
        if (entries is null)
        {
            outcome.Fail($"Neither a CAP message nor an Atom or RSS feed (the root element is '{Shorten(root.Name.LocalName)}').");
            return true;
        }
        var seen = feed.SeenEntries.ToHashSet(StringComparer.Ordinal);
        var complete = true;
        var fetched = 0;
        foreach (var (key, link) in entries)
        {
            if (seen.Contains(key))
            {
                outcome.Seen.Add(key);
                continue;
            }
            if (fetched == CapFeedLimits.MaxEntriesPerPoll)
            {
                complete = false;
                break;
            }
            if (link is null || link.Host != location.Host || link.Port != location.Port || link.Scheme != location.Scheme)
            {
                outcome.Refuse(link is null ? $"Entry {Shorten(key)} links to no CAP message." : $"Entry {Shorten(key)} links off the feed's host ({link.Host}).");
                outcome.Seen.Add(key);
                continue;
            }
            fetched++;
            try
            {
                using var response = await httpClients.CreateClient(CapFeedLimits.HttpClientName).GetAsync(link, HttpCompletionOption.ResponseHeadersRead, ct);
                if (!response.IsSuccessStatusCode)
                {
                    outcome.Fail($"{link}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    complete = false;
                    continue;
                }
                if (await ReadAsync(response, InboundCapLimits.MaxBodyBytes, ct) is { } message)
                    await ReceiveAsync(feed, link.ToString(), message, outcome, ct);
                else
                    outcome.Refuse($"{link}: larger than {InboundCapLimits.MaxBodyBytes / 1024} KB.");
                outcome.Seen.Add(key);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                outcome.Fail($"{link}: {(e is TaskCanceledException ? "no answer in time" : e.Message)}");
                complete = false;
            }
        }
        return complete;
    }

    private async Task ReceiveAsync(InboundCapFeed feed, string from, byte[] message, Outcome outcome, CancellationToken ct)
    {
        try
        {
            var received = await sender.Send(new ReceiveInboundCapCommand(message, $"feed:{feed.Name}", null), ct);
            if (received.Created)
                outcome.New++;
            else
                outcome.Repeated++;
        }
        catch (DomainRuleException e)
        {
            outcome.Refuse($"{from}: {e.Message}");
        }
    }

    /// <summary>Atom entries: key = id + updated; link = the first whose type names CAP, else the alternate (or rel-less) one.</summary>
    private static IEnumerable<(string Key, Uri? Link)> AtomEntries(XElement feed, Uri location)
    {
        XName Atom(string name) => XName.Get(name, AtomNamespace);
        foreach (var entry in feed.Elements(Atom("entry")))
        {
            var links = entry.Elements(Atom("link")).ToList();
            var link = links.FirstOrDefault(l => ((string?)l.Attribute("type"))?.Contains("cap", StringComparison.OrdinalIgnoreCase) == true)
                       ?? links.FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate");
            yield return ($"{(string?)entry.Element(Atom("id"))}|{(string?)entry.Element(Atom("updated"))}", Resolve(location, (string?)link?.Attribute("href")));
        }
    }

    /// <summary>RSS 2.0 items: key = guid (else link) + pubDate; link = an enclosure whose type names CAP, else the item's link.</summary>
    private static IEnumerable<(string Key, Uri? Link)> RssEntries(XElement rss, Uri location)
    {
        foreach (var item in rss.Elements("channel").Elements("item"))
        {
            var enclosure = item.Elements("enclosure").FirstOrDefault(e => ((string?)e.Attribute("type"))?.Contains("cap", StringComparison.OrdinalIgnoreCase) == true);
            var href = (string?)enclosure?.Attribute("url") ?? (string?)item.Element("link");
            yield return ($"{(string?)item.Element("guid") ?? href}|{(string?)item.Element("pubDate")}", Resolve(location, href));
        }
    }

    private static Uri? Resolve(Uri location, string? href) =>
        !string.IsNullOrWhiteSpace(href) && Uri.TryCreate(location, href.Trim(), out var uri) && CapFeedLimits.UrlRefusal(uri.ToString()) is null ? uri : null;

    /// <summary>The body, or null when it is longer than <paramref name="max"/> bytes (read no further than that).</summary>
    private static async Task<byte[]?> ReadAsync(HttpResponseMessage response, int max, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > max)
            return null;
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private async Task SaveAsync(InboundCapFeed feed, Outcome outcome, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var result = InboundCapText.Cut(outcome.Describe(), CapFeedLimits.ResultLength);
        var error = InboundCapText.Cut(outcome.Error, CapFeedLimits.ResultLength);
        // A 304 or a failed fetch keeps the entries seen before; a read index keeps the keys it still lists (bounded).
        var seen = outcome.Changed ? outcome.Seen.Take(CapFeedLimits.MaxSeenEntries).ToList() : feed.SeenEntries;
        var (etag, modified) = outcome.Changed ? (outcome.ETag, outcome.LastModified) : (feed.ETag, feed.LastModified);
        await db.CapFeeds.Where(f => f.Id == feed.Id).ExecuteUpdateAsync(s => s
            .SetProperty(f => f.LastPolledAt, now)
            .SetProperty(f => f.LastChangedAt, outcome.Changed ? now : feed.LastChangedAt)
            .SetProperty(f => f.LastResult, result)
            .SetProperty(f => f.LastError, error)
            .SetProperty(f => f.MessagesReceived, f => f.MessagesReceived + outcome.New)
            .SetProperty(f => f.SeenEntries, seen)
            .SetProperty(f => f.ETag, etag)
            .SetProperty(f => f.LastModified, modified), ct);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private sealed class Outcome(InboundCapFeed feed)
    {
        public bool Changed { get; set; }
        public string? Result { get; set; }
        public string? Error { get; private set; }
        public int New { get; set; }
        public int Repeated { get; set; }
        public int Refused { get; private set; }
        public string? ETag { get; set; }
        public string? LastModified { get; set; }
        public List<string> Seen { get; } = [];

        public void Fail(string error) => Error ??= error;

        public void Refuse(string reason)
        {
            Refused++;
            Error ??= reason;
        }

        public string Describe() => Result ?? (Changed
            ? $"read: {New} new, {Repeated} already received, {Refused} refused"
            : $"failed (kept {feed.SeenEntries.Count} entries seen before)");
    }
}

/// <summary>The recurring poll (Hangfire <c>alerts:poll-cap-feeds</c>, every minute); each feed keeps its own interval.</summary>
internal sealed class PollCapFeedsJob(CapFeedPoller poller)
{
    public Task RunAsync(CancellationToken ct) => poller.PollDueAsync(ct);
}

internal sealed class AddCapFeedCommandValidator : AbstractValidator<AddCapFeedCommand>
{
    public AddCapFeedCommandValidator()
    {
        RuleFor(c => c.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Name the feed (e.g. the authority).").MaximumLength(CapFeedLimits.NameLength);
        RuleFor(c => c.Url).Custom((url, context) =>
        {
            if (CapFeedLimits.UrlRefusal(url) is { } refusal)
                context.AddFailure(refusal);
        });
        RuleFor(c => c.IntervalSeconds).InclusiveBetween(CapFeedLimits.MinIntervalSeconds, CapFeedLimits.MaxIntervalSeconds)
            .When(c => c.IntervalSeconds is not null);
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }
}

internal sealed class AddCapFeedCommandHandler(AlertsDbContext db, TimeProvider clock) : ICommandHandler<AddCapFeedCommand, CapFeedDto>
{
    public async ValueTask<CapFeedDto> Handle(AddCapFeedCommand command, CancellationToken cancellationToken)
    {
        var url = new Uri(command.Url!.Trim()).ToString();
        if (await db.CapFeeds.AnyAsync(f => f.Url == url, cancellationToken))
            throw new DomainRuleException("This feed is already subscribed.");
        var now = clock.GetUtcNow();
        var feed = new InboundCapFeed
        {
            Name = command.Name!.Trim(), Url = url, IntervalSeconds = command.IntervalSeconds ?? CapFeedLimits.DefaultIntervalSeconds, CreatedBy = command.By,
            CreatedAt = now,
        };
        db.CapFeeds.Add(feed);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditAsync(command.By, "Alerts", "cap-feed-add", null, new { feedId = feed.Id, feed.Url }, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return feed.ToDto();
    }
}

internal sealed class RemoveCapFeedCommandHandler(AlertsDbContext db, TimeProvider clock) : ICommandHandler<RemoveCapFeedCommand>
{
    public async ValueTask<Unit> Handle(RemoveCapFeedCommand command, CancellationToken cancellationToken)
    {
        var feed = await db.CapFeeds.FirstOrDefaultAsync(f => f.Id == command.Id, cancellationToken) ?? throw new DomainRuleException("No such feed.", 404);
        db.CapFeeds.Remove(feed);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditAsync(command.By, "Alerts", "cap-feed-remove", null, new { feedId = feed.Id, feed.Url }, clock.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

internal sealed class PollCapFeedCommandHandler(AlertsDbContext db, CapFeedPoller poller) : ICommandHandler<PollCapFeedCommand, CapFeedDto>
{
    public async ValueTask<CapFeedDto> Handle(PollCapFeedCommand command, CancellationToken cancellationToken)
    {
        var feed = await db.CapFeeds.AsNoTracking().FirstOrDefaultAsync(f => f.Id == command.Id, cancellationToken)
                   ?? throw new DomainRuleException("No such feed.", 404);
        await poller.PollAsync(feed, cancellationToken);
        return (await db.CapFeeds.AsNoTracking().FirstAsync(f => f.Id == command.Id, cancellationToken)).ToDto();
    }
}

internal sealed class ListCapFeedsQueryHandler(AlertsDbContext db) : IQueryHandler<ListCapFeedsQuery, IReadOnlyList<CapFeedDto>>
{
    public async ValueTask<IReadOnlyList<CapFeedDto>> Handle(ListCapFeedsQuery query, CancellationToken cancellationToken) =>
        (await db.CapFeeds.AsNoTracking().OrderBy(f => f.Name).ThenBy(f => f.Id).ToListAsync(cancellationToken)).Select(f => f.ToDto()).ToList();
}

internal static class CapFeedMapping
{
    public static CapFeedDto ToDto(this InboundCapFeed f) => new(f.Id, f.Name, f.Url, f.IntervalSeconds, f.Enabled, f.CreatedAt, f.CreatedBy, f.LastPolledAt,
        f.LastChangedAt, f.LastResult, f.LastError, f.MessagesReceived);
}
