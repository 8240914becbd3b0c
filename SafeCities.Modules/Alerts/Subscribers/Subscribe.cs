using System.Net.Mail;
using System.Text.RegularExpressions;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.PublicAlerts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Alerts.Subscribers;

internal sealed partial class SubscribeToAlertsCommandValidator : AbstractValidator<SubscribeToAlertsCommand>
{
    public SubscribeToAlertsCommandValidator()
    {
        RuleFor(c => c.Channel).Must(c => c is not null && SubscriberChannels.All.Contains(c)).WithMessage("Choose how to receive alerts: e-mail, text message or browser notification.");
        RuleFor(c => c.Language).Must(l => l is "en" or "es").WithMessage("Choose English or Spanish.");
        RuleFor(c => c.Address).NotEmpty().WithMessage("Give the address to send alerts to.").MaximumLength(SubscriberLimits.Address)
            .Must(a => a is null || InputRules.TextRefusal(a, TextKind.Line) is null).WithMessage((_, a) => $"The address {InputRules.TextRefusal(a!, TextKind.Line)}");
        RuleFor(c => c.Address).Must(IsEmail).When(c => c.Channel == SubscriberChannels.Email && !string.IsNullOrWhiteSpace(c.Address))
            .WithMessage("Give an e-mail address such as name@example.org.");
        RuleFor(c => c.Address).Must(a => Phone().IsMatch(a!.Trim())).When(c => c.Channel == SubscriberChannels.Sms && !string.IsNullOrWhiteSpace(c.Address))
            .WithMessage("Give the mobile number in international form, such as +12025550123.");
        RuleFor(c => c.Address).Must(a => Uri.TryCreate(a!.Trim(), UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps)
            .When(c => c.Channel == SubscriberChannels.Push && !string.IsNullOrWhiteSpace(c.Address))
            .WithMessage("This browser did not give a notification endpoint (https): allow notifications and try again.");
        RuleFor(c => c.Areas).NotNull().Must(a => a!.Count is >= 1 and <= SubscriberLimits.MaxAreas)
            .WithMessage($"Give one to {SubscriberLimits.MaxAreas} areas: a point with a radius, or a drawn area.");
        RuleForEach(c => c.Areas).Must(a => AreaRefusal(a) is null).WithMessage((_, a) => AreaRefusal(a)!).When(c => c.Areas is not null);
    }

    private static bool IsEmail(string? address) =>
        MailAddress.TryCreate(address!.Trim(), out var parsed) && parsed.Address == address.Trim() && parsed.Host.Contains('.', StringComparison.Ordinal);

    public static bool IsCircle(SubscriberAreaInput a) => a.Latitude is not null || a.Longitude is not null || a.RadiusMeters is not null;

    public static string? AreaRefusal(SubscriberAreaInput? a)
    {
        if (a is null)
            return "An area is empty.";
        if (IsCircle(a) == a.Polygon is { Count: > 0 })
            return "Give each area as a point with a radius or as a drawn area, not both.";
        if (IsCircle(a))
        {
            if (a.Latitude is not { } lat || a.Longitude is not { } lon || a.RadiusMeters is not { } r)
                return "A point needs its latitude, longitude and radius.";
            if (!double.IsFinite(lat) || !double.IsFinite(lon) || Math.Abs(lat) > 90 || Math.Abs(lon) > 180)
                return "The point needs a latitude in [-90, 90] and a longitude in [-180, 180].";
            if (!double.IsFinite(r) || r < SubscriberLimits.MinRadiusMeters || r > SubscriberLimits.MaxRadiusMeters)
                return $"The radius must lie between {SubscriberLimits.MinRadiusMeters:0} m and {SubscriberLimits.MaxRadiusMeters / 1000:0} km.";
            return null;
        }
        return CapArea.PolygonRefusal(a.Polygon!, SubscriberLimits.MaxPolygonPoints);
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex Phone();
}

/// <summary>Stores the unconfirmed sign-up and sends the confirmation link at once; if it cannot be sent, nothing is kept (ADR 0040).</summary>
internal sealed class SubscribeToAlertsCommandHandler(AlertsDbContext db, TimeProvider clock, SubscriberLinks links, IEnumerable<IAlertChannelDriver> drivers)
    : ICommandHandler<SubscribeToAlertsCommand, SubscriptionRequestedDto>
{
    public async ValueTask<SubscriptionRequestedDto> Handle(SubscribeToAlertsCommand command, CancellationToken cancellationToken)
    {
        var confirm = SubscriberTokens.New();
        var unsubscribe = SubscriberTokens.New();
        var subscriber = new Subscriber
        {
            Id = Guid.CreateVersion7(), Channel = command.Channel!, Address = command.Address!.Trim(), Language = command.Language!,
            ConfirmTokenHash = SubscriberTokens.Hash(confirm), UnsubscribeTokenHash = SubscriberTokens.Hash(unsubscribe),
            UnsubscribeTokenSealed = links.Seal(unsubscribe), CreatedAt = clock.GetUtcNow(),
        };
        subscriber.Areas.AddRange(command.Areas!.Select(a => AreaOf(subscriber.Id, a)));
        db.Add(subscriber);
        await db.SaveChangesAsync(cancellationToken);

        var spanish = subscriber.Language == "es";
        var link = SubscriberLinks.Confirm(command.BaseUrl, confirm);
        var text = spanish
            ? $"Confirme que desea recibir alertas públicas de SafeCities: {link}\nSi no lo pidió, ignore este mensaje."
            : $"Confirm that you want SafeCities public alerts: {link}\nIf you did not ask for them, ignore this message.";
        var driver = drivers.First(d => d.Channel == subscriber.Channel);
        var results = await driver.SendAsync(
            [new OutgoingAlert(Guid.Empty, subscriber.Id, subscriber.Address, spanish ? "Confirme su suscripción" : "Confirm your subscription", text, null)],
            cancellationToken);
        if (results[0] is not null)
        {
            await db.Set<Subscriber>().Where(s => s.Id == subscriber.Id).ExecuteDeleteAsync(cancellationToken);
            throw new DomainRuleException("The confirmation message could not be sent to that address: check it and try again.", 422);
        }
        return new SubscriptionRequestedDto(subscriber.Id);
    }

    internal static SubscriberArea AreaOf(Guid subscriberId, SubscriberAreaInput a)
    {
        if (SubscribeToAlertsCommandValidator.IsCircle(a))
        {
            double lat = a.Latitude!.Value, lon = a.Longitude!.Value, r = a.RadiusMeters!.Value;
            // The 40-gon's edges lie inside the circle it is drawn on: draw it 2 % + 5 m wider so it contains the whole circle.
            return new SubscriberArea
            {
                Id = Guid.CreateVersion7(), SubscriberId = subscriberId, Area = GeoMath.Point(lat, lon), RadiusMeters = r,
                Cover = CapArea.Geometry(CapArea.CirclePolygon(lat, lon, r * 1.02 + 5)),
            };
        }
        var polygon = CapArea.Geometry(CapArea.Closed(a.Polygon!));
        if (!polygon.Shell.IsCCW)
            polygon = (NetTopologySuite.Geometries.Polygon)polygon.Reverse();
        return new SubscriberArea { Id = Guid.CreateVersion7(), SubscriberId = subscriberId, Area = polygon, RadiusMeters = 0, Cover = polygon };
    }
}

internal sealed class ConfirmAlertSubscriptionCommandHandler(AlertsDbContext db, TimeProvider clock) : ICommandHandler<ConfirmAlertSubscriptionCommand, bool>
{
    public async ValueTask<bool> Handle(ConfirmAlertSubscriptionCommand command, CancellationToken cancellationToken)
    {
        if (!SubscriberTokens.IsWellFormed(command.Token))
            return false;
        var hash = SubscriberTokens.Hash(command.Token!);
        var now = clock.GetUtcNow();
        // Confirming twice is fine (the second finds it confirmed already and says so the same way).
        var found = await db.Set<Subscriber>().Where(s => s.ConfirmTokenHash == hash)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ConfirmedAt, s => s.ConfirmedAt ?? now), cancellationToken);
        return found == 1;
    }
}

internal sealed class UnsubscribeFromAlertsCommandHandler(AlertsDbContext db) : ICommandHandler<UnsubscribeFromAlertsCommand, bool>
{
    public async ValueTask<bool> Handle(UnsubscribeFromAlertsCommand command, CancellationToken cancellationToken)
    {
        if (!SubscriberTokens.IsWellFormed(command.Token))
            return false;
        var hash = SubscriberTokens.Hash(command.Token!);
        // Deleting the subscriber deletes its areas and delivery records with it (minimal data: nothing of the person stays).
        return await db.Set<Subscriber>().Where(s => s.UnsubscribeTokenHash == hash).ExecuteDeleteAsync(cancellationToken) == 1;
    }
}
