namespace SafeCities.Modules.Alerts.InboundCap;

/// <summary>
/// An external CAP source an administrator subscribed to: an Atom or RSS index whose entries link to CAP messages, or one CAP message by
/// URL. Polled every <see cref="IntervalSeconds"/> with <c>If-None-Match</c>/<c>If-Modified-Since</c> (<see cref="ETag"/>,
/// <see cref="LastModified"/>); an index's entries already fetched are remembered in <see cref="SeenEntries"/> (the keys of the latest
/// index), so an unchanged entry is never fetched again. What was received goes through the same path as a push (ADR 0038).
/// </summary>
internal sealed class InboundCapFeed
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Url { get; init; }
    public int IntervalSeconds { get; set; }
    public bool Enabled { get; set; } = true;
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public DateTimeOffset? LastPolledAt { get; set; }
    /// <summary>When a poll last got content (not 304).</summary>
    public DateTimeOffset? LastChangedAt { get; set; }
    /// <summary>"304 not modified", "200: 2 new, 1 refused", … — what the last poll did.</summary>
    public string? LastResult { get; set; }
    /// <summary>Why the last poll failed or what it refused (null when it went well).</summary>
    public string? LastError { get; set; }
    public int MessagesReceived { get; set; }
    public List<string> SeenEntries { get; set; } = [];
}

internal static class CapFeedLimits
{
    public const string HttpClientName = "cap-feeds";
    /// <summary>The poll job runs every minute: a shorter interval would not be kept.</summary>
    public const int MinIntervalSeconds = 60;
    public const int MaxIntervalSeconds = 86_400;
    public const int DefaultIntervalSeconds = 120;
    public const int MaxIndexBytes = 2 * 1024 * 1024;
    /// <summary>New entries fetched per poll at most (the rest on the next poll): a flood in one index never stalls the others.</summary>
    public const int MaxEntriesPerPoll = 50;
    public const int MaxSeenEntries = 1000;
    public const int UrlLength = 2000;
    public const int NameLength = 200;
    public const int ResultLength = 1000;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Why <paramref name="url"/> is not a feed address we poll (null when it is): absolute http(s), no user name or password in it.</summary>
    public static string? UrlRefusal(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return "Give the feed's address.";
        if (url.Length > UrlLength)
            return $"The address is longer than {UrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return "The address must be an absolute http:// or https:// URL.";
        if (uri.UserInfo.Length > 0)
            return "Put no user name or password in the address.";
        return null;
    }
}

internal static class CapFeedModel
{
    public static void ConfigureCapFeeds(this ModelBuilder b) => b.Entity<InboundCapFeed>(e =>
    {
        e.ToTable("inbound_cap_feeds");
        e.Property(f => f.Name).HasMaxLength(CapFeedLimits.NameLength);
        e.Property(f => f.Url).HasMaxLength(CapFeedLimits.UrlLength);
        e.Property(f => f.CreatedBy).HasMaxLength(256);
        e.Property(f => f.ETag).HasMaxLength(500);
        e.Property(f => f.LastModified).HasMaxLength(100);
        e.Property(f => f.LastResult).HasMaxLength(CapFeedLimits.ResultLength);
        e.Property(f => f.LastError).HasMaxLength(CapFeedLimits.ResultLength);
        e.HasIndex(f => f.Url).IsUnique();
    });
}
