namespace SafeCities.Modules.Alerts.Subscribers;

/// <summary>appsettings <c>Alerts:Subscribers</c>: public-alert subscribers, their deliveries and their retention (README, Configuration).</summary>
internal sealed class SubscribersOptions
{
    public const string Section = "Alerts:Subscribers";

    /// <summary>The absolute root written into confirmation and unsubscribe links of messages sent in the background; empty:
    /// <c>Alerts:PublicAlerts:PublicBaseUrl</c>, else the app's own first listening address.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Runs the delivery worker on this node (every node may: claims keep them apart).</summary>
    public bool SenderEnabled { get; set; } = true;

    /// <summary>Seconds between the worker's looks for due deliveries when it found none.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>Deliveries one claim takes (one short transaction).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a claim keeps other senders off a row; a sender that died releases its rows when this runs out.</summary>
    public int ClaimSeconds { get; set; } = 120;

    /// <summary>Attempts before a delivery is marked failed (listed on /Admin/AlertSubscribers); back-off 2 s, 4 s, 8 s … at most 10 min.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Sign-ups not confirmed within this many hours are deleted.</summary>
    public int UnconfirmedRetentionHours { get; set; } = 48;

    /// <summary>Delivery records (and the simulated drivers' records) are deleted this many days after they were made.</summary>
    public int DeliveryRetentionDays { get; set; } = 30;

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>appsettings <c>Alerts:Subscribers:Smtp</c>: the mail server alerts are sent through (MailKit).</summary>
internal sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 25;
    /// <summary>None, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
    public string From { get; set; } = "alerts@safecities.invalid";
    public string FromName { get; set; } = "SafeCities public alerts";
    public int TimeoutSeconds { get; set; } = 30;
}
