using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Sensors.Environment;

internal sealed class SaveThresholdRuleCommandValidator : AbstractValidator<SaveThresholdRuleCommand>
{
    public static readonly string[] Severities = ["low", "medium", "high"];

    public SaveThresholdRuleCommandValidator()
    {
        RuleFor(c => c.Rule).NotNull();
        RuleFor(c => c.Rule.Name).NotEmpty().MaximumLength(120);
        RuleFor(c => c.Rule.Quantity).Must(q => q == ThresholdRule.Aqi || EnvironmentalQuantities.Find(q) is not null)
            .WithMessage($"'Quantity' must be aqi or one of: {string.Join(", ", EnvironmentalQuantities.All.Select(q => q.Code))}.");
        RuleFor(c => c.Rule).Custom((r, context) =>
        {
            var (min, max) = r.ChangeWindowSeconds is not null ? (-100.0, 1000.0)
                : r.Quantity == ThresholdRule.Aqi ? (0.0, 500.0) : EnvironmentalQuantities.Find(r.Quantity) is { } q ? (q.Min, q.Max) : (double.MinValue, double.MaxValue);
            if (r.Threshold < min || r.Threshold > max)
                context.AddFailure("threshold", r.ChangeWindowSeconds is not null
                    ? $"'Threshold' is a change in percent: from {min} to {max}."
                    : $"'Threshold' must lie in the quantity's range, {min} to {max}.");
            if (r.ChangeWindowSeconds is { } window && (window < 10 || window > 86_400))
                context.AddFailure("changeWindowSeconds", "'Change window' must be from 10 seconds to 1 day.");
            if (r.ChangeWindowSeconds is not null && r.Quantity == ThresholdRule.Aqi)
                context.AddFailure("changeWindowSeconds", "A change rule watches a measured quantity, not the AQI.");
            if (r.Above ? r.ClearLevel > r.Threshold : r.ClearLevel < r.Threshold)
                context.AddFailure("clearLevel", r.Above
                    ? "'Clear level' must be at or below the threshold (the value must fall back past it to clear)."
                    : "'Clear level' must be at or above the threshold (the value must rise back past it to clear).");
            if (new[] { r.CenterLatitude, r.CenterLongitude, r.RadiusMeters }.Count(v => v is null) is not (0 or 3))
                context.AddFailure("area", "An area needs 'centerLatitude', 'centerLongitude' and 'radiusMeters' (or none: the whole city).");
        }).When(c => c.Rule is not null);
        RuleFor(c => c.Rule.SustainedSeconds).InclusiveBetween(0, 86_400);
        RuleFor(c => c.Rule.Severity).Must(Severities.Contains).WithMessage($"'Severity' must be one of: {string.Join(", ", Severities)}.");
        RuleFor(c => c.Rule.CenterLatitude).InclusiveBetween(-90, 90);
        RuleFor(c => c.Rule.CenterLongitude).InclusiveBetween(-180, 180);
        RuleFor(c => c.Rule.RadiusMeters).InclusiveBetween(1, 50_000);
    }
}

/// <summary>Creates (no id) or replaces a rule; audited with before and after. A changed rule keeps the sensors' states (an open crossing still clears).</summary>
internal sealed class SaveThresholdRuleCommandHandler(SensorsDbContext db, ThresholdRuleCache rules, TimeProvider clock) : ICommandHandler<SaveThresholdRuleCommand, ThresholdRuleDto?>
{
    public async ValueTask<ThresholdRuleDto?> Handle(SaveThresholdRuleCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var r = command.Rule;
        var rule = command.Id is { } id ? await db.ThresholdRules.SingleOrDefaultAsync(x => x.Id == id, cancellationToken) : null;
        if (command.Id is not null && rule is null)
            return null;
        var before = rule is null ? null : ThresholdRuleMapping.ToDto(rule);
        rule ??= db.ThresholdRules.Add(new ThresholdRule { Id = Guid.CreateVersion7(), Name = r.Name, Quantity = r.Quantity, Severity = r.Severity, UpdatedBy = command.By }).Entity;
        rule.Name = r.Name.Trim();
        rule.Quantity = r.Quantity;
        rule.Above = r.Above;
        rule.Threshold = r.Threshold;
        rule.ClearLevel = r.ClearLevel;
        rule.SustainedSeconds = r.SustainedSeconds;
        rule.Severity = r.Severity;
        (rule.CenterLatitude, rule.CenterLongitude, rule.RadiusMeters) = (r.CenterLatitude, r.CenterLongitude, r.RadiusMeters);
        rule.Enabled = r.Enabled;
        rule.ChangeWindowSeconds = r.ChangeWindowSeconds;
        rule.UpdatedAt = now;
        rule.UpdatedBy = command.By;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var after = ThresholdRuleMapping.ToDto(rule);
        await db.AuditAsync(command.By, "Sensors", before is null ? "threshold-rule.created" : "threshold-rule.changed", null,
            new { before, after }, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await rules.InvalidateAsync();
        return after;
    }
}

internal static class ThresholdRuleMapping
{
    public static ThresholdRuleDto ToDto(ThresholdRule r) => new(r.Name, r.Quantity, r.Above, r.Threshold, r.ClearLevel, r.SustainedSeconds, r.Severity,
        r.CenterLatitude, r.CenterLongitude, r.RadiusMeters, r.Enabled, r.Id, r.UpdatedAt, r.UpdatedBy, r.ChangeWindowSeconds);
}

internal sealed class ListThresholdRulesQueryHandler(SensorsDbContext db) : IQueryHandler<ListThresholdRulesQuery, IReadOnlyList<ThresholdRuleDto>>
{
    public async ValueTask<IReadOnlyList<ThresholdRuleDto>> Handle(ListThresholdRulesQuery query, CancellationToken cancellationToken) =>
        (await db.ThresholdRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken)).Select(ThresholdRuleMapping.ToDto).ToList();
}

internal static class RuleEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/sensors/rules").WithTags("Sensors").RequireAuthorization(Policies.Administrators);
        api.MapGet("/", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListThresholdRulesQuery(), ct)))
            .WithSummary("The environmental threshold rules.");
        api.MapPost("/", async (ThresholdRuleDto body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Created($"/api/v1/sensors/rules", await sender.Send(new SaveThresholdRuleCommand(null, body, user.Actor()), ct)))
            .WithSummary("Create a rule: quantity (or aqi), above (true) or below, threshold, clearLevel (hysteresis), sustainedSeconds, severity "
                         + "(low, medium, high), optional circle (centerLatitude, centerLongitude, radiusMeters), enabled, optional changeWindowSeconds (then the "
                         + "threshold and clear level are changes in percent over that window). Audited.")
            .ProducesValidationProblem();
        api.MapPut("/{id:guid}", async Task<IResult> (Guid id, ThresholdRuleDto body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                await sender.Send(new SaveThresholdRuleCommand(id, body, user.Actor()), ct) is { } saved ? TypedResults.Ok(saved) : TypedResults.NotFound())
            .WithSummary("Change a rule (disable it with enabled = false); audited with before and after.")
            .ProducesValidationProblem();
    }
}
