using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Lighting.Features;

internal sealed class ReportStreetlightFaultsCommandValidator : AbstractValidator<ReportStreetlightFaultsCommand>
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(2);

    public ReportStreetlightFaultsCommandValidator(TimeProvider clock)
    {
        RuleFor(c => c.LightId).NotEmpty();
        RuleFor(c => c.By).NotEmpty();
        RuleFor(c => c.Faults).NotNull().NotEmpty().WithMessage("Send at least one fault.")
            .Must(f => f is null || f.Count <= 50).WithMessage("Send at most 50 faults at once.");
        RuleForEach(c => c.Faults).NotNull().WithMessage("A fault may not be null.");
        RuleForEach(c => c.Faults).Where(f => f is not null).ChildRules(f =>
        {
            f.RuleFor(x => x.Kind).Must(k => StreetlightFaultKinds.All.Contains(k))
                .WithMessage($"'kind' must be one of: {string.Join(", ", StreetlightFaultKinds.All)}.");
            f.RuleFor(x => x.State).Must(s => s is StreetlightFaultStates.Active or StreetlightFaultStates.Cleared)
                .WithMessage("'state' must be active or cleared.");
            f.RuleFor(x => x.At).Must(t => t <= clock.GetUtcNow() + MaxClockSkew)
                .WithMessage($"'at' is in the future (more than {MaxClockSkew.TotalMinutes:0} minutes of clock skew).")
                .Must(t => t.Year >= 2000).WithMessage("'at' is not a plausible time.");
        });
    }
}

/// <summary>
/// Faults as a light reports them (TALQ vocabulary). Active opens a work order unless one is open for that light and kind (a repeat
/// changes nothing); cleared closes it (who, when). The light is faulty while any work order is open.
/// </summary>
internal sealed class ReportStreetlightFaultsCommandHandler(LightingDbContext db, TimeProvider clock)
    : ICommandHandler<ReportStreetlightFaultsCommand, StreetlightFaultsResultDto>
{
    public async ValueTask<StreetlightFaultsResultDto> Handle(ReportStreetlightFaultsCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (opened, closed, unchanged) = (new List<WorkOrder>(), 0, 0);
        Streetlight light;
        List<WorkOrder> open;
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await LightingLocks.LevelsAsync(db, cancellationToken);
            light = await db.Streetlights.SingleOrDefaultAsync(l => l.Id == command.LightId, cancellationToken)
                ?? throw new DomainRuleException("This device is not a streetlight registered with Lighting.", 403);
            open = await db.WorkOrders.Where(w => w.LightId == light.Id && w.ClosedAt == null).ToListAsync(cancellationToken);
            var lastCleared = await db.WorkOrders.Where(w => w.LightId == light.Id && w.ClosedAt != null)
                .GroupBy(w => w.FaultKind).Select(g => new { Kind = g.Key, At = g.Max(w => w.ClearedAt) }).ToDictionaryAsync(g => g.Kind, g => g.At, cancellationToken);

            foreach (var fault in command.Faults.OrderBy(f => f.At))
            {
                var current = open.FirstOrDefault(w => w.FaultKind == fault.Kind);
                if (fault.State == StreetlightFaultStates.Active)
                {
                    // A repeat of an open fault, or a late copy of one that has cleared since, opens nothing.
                    if (current is not null || lastCleared.GetValueOrDefault(fault.Kind) >= fault.At)
                    {
                        unchanged++;
                        continue;
                    }
                    var order = new WorkOrder { Id = Guid.CreateVersion7(), LightId = light.Id, FaultKind = fault.Kind, FaultAt = fault.At, OpenedAt = now };
                    db.WorkOrders.Add(order);
                    open.Add(order);
                    opened.Add(order);
                }
                else if (current is not null && fault.At >= current.FaultAt)
                {
                    current.ClearedAt = fault.At;
                    current.ClosedAt = now;
                    current.ClosedBy = command.By;
                    open.Remove(current);
                    lastCleared[fault.Kind] = fault.At;
                    closed++;
                }
                else
                    unchanged++;
            }
            var raised = await db.Raises.AnyAsync(r => r.LightId == light.Id && r.EndedAt == null, cancellationToken);
            light.RefreshState(open.Count > 0, raised);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        return new StreetlightFaultsResultDto(light.Id, light.State, opened.Count, closed, unchanged,
            open.OrderBy(w => w.OpenedAt).Select(w => WorkOrders.ToDto(w, light)).ToList());
    }
}

internal static class WorkOrders
{
    public static WorkOrderDto ToDto(WorkOrder w, Streetlight l) =>
        new(w.Id, l.Id, l.Name, l.Latitude, l.Longitude, l.Circuit, l.ControllerId, w.FaultKind, w.FaultAt, w.OpenedAt, w.ClosedAt, w.ClosedBy);
}

internal sealed class ListOpenWorkOrdersQueryHandler(LightingDbContext db) : IQueryHandler<ListOpenWorkOrdersQuery, IReadOnlyList<WorkOrderDto>>
{
    public async ValueTask<IReadOnlyList<WorkOrderDto>> Handle(ListOpenWorkOrdersQuery query, CancellationToken cancellationToken) =>
        (await db.WorkOrders.AsNoTracking().Where(w => w.ClosedAt == null)
            .Join(db.Streetlights.AsNoTracking(), w => w.LightId, l => l.Id, (w, l) => new { Order = w, Light = l })
            .OrderBy(x => x.Order.OpenedAt).ThenBy(x => x.Light.Name).Take(5000).ToListAsync(cancellationToken))
        .Select(x => WorkOrders.ToDto(x.Order, x.Light)).ToList();
}
