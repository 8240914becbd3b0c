namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>One area a resident wants alerts for: a point with a radius (metres), or a drawn polygon (at least 3 corners).</summary>
public sealed record SubscriberAreaInput(double? Latitude, double? Longitude, double? RadiusMeters, IReadOnlyList<GeoPointDto>? Polygon);

/// <summary>
/// A resident asks for public alerts (no account). Stored unconfirmed; a message with the confirmation link
/// (<paramref name="BaseUrl"/><c>alerts/confirm/{token}</c>) goes to the address at once. Nothing else is sent until it is confirmed.
/// </summary>
public sealed record SubscribeToAlertsCommand(string? Channel, string? Address, string? Language, IReadOnlyList<SubscriberAreaInput>? Areas, string BaseUrl)
    : ICommand<SubscriptionRequestedDto>;

public sealed record SubscriptionRequestedDto(Guid Id);

/// <summary>Confirms the sign-up whose confirmation link carries <paramref name="Token"/>; false when no unconfirmed sign-up has it.</summary>
public sealed record ConfirmAlertSubscriptionCommand(string? Token) : ICommand<bool>;

/// <summary>Deletes the subscription (and every record of what it was sent) whose unsubscribe link carries <paramref name="Token"/>.</summary>
public sealed record UnsubscribeFromAlertsCommand(string? Token) : ICommand<bool>;

/// <summary>For administrators: subscribers and deliveries by state, and the latest failures.</summary>
public sealed record GetAlertDeliveryStatusQuery(int Failures = 50) : IQuery<AlertDeliveryStatusDto>;

public sealed record AlertDeliveryStatusDto(int Confirmed, int Unconfirmed, IReadOnlyList<DeliveryCountDto> Counts, IReadOnlyList<DeliveryFailureDto> Failures);

public sealed record DeliveryCountDto(string Channel, string State, int Count);

public sealed record DeliveryFailureDto(Guid MessageId, string? Identifier, Guid SubscriberId, string Channel, string State, int Attempts,
    DateTimeOffset NextAttemptAt, string? LastError);

/// <summary>Sends failed deliveries again (administrators, once the cause is fixed): back to pending with their attempts reset.</summary>
public sealed record RetryFailedAlertDeliveriesCommand(string By) : ICommand<int>;

/// <summary>How many areas one subscription may have (home, work, school …).</summary>
public static class SubscriberAreas
{
    public const int Max = 5;
}

public static class SubscriberChannelNames
{
    public static readonly IReadOnlyList<(string Code, string Name)> All = [("email", "E-mail"), ("sms", "Text message (SMS)"), ("push", "Browser notification")];
}
