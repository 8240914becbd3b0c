using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Plates.Features;

internal sealed class ReportReaderStatusCommandValidator : AbstractValidator<ReportReaderStatusCommand>
{
    public ReportReaderStatusCommandValidator()
    {
        RuleFor(c => c.ReaderId).NotEmpty();
        RuleFor(c => c.Fault).Must(f => f is null || f.Trim().Length > 0).WithMessage("'fault' is the open fault in words, or null when there is none.")
            .MaximumLength(PlateReader.MaxFaultLength);
    }
}

/// <summary>
/// A reader says how it is: the fault it has now in its own words, or none. A new or changed fault starts its "since"; the same fault
/// again keeps it; none clears it. Device health shows a reader with an open fault as failing, with the fault.
/// </summary>
internal sealed class ReportReaderStatusCommandHandler(PlatesDbContext db, TimeProvider clock) : ICommandHandler<ReportReaderStatusCommand, ReaderStatusDto>
{
    public async ValueTask<ReaderStatusDto> Handle(ReportReaderStatusCommand command, CancellationToken cancellationToken)
    {
        var reader = await db.Readers.SingleOrDefaultAsync(r => r.Id == command.ReaderId, cancellationToken)
            ?? throw new DomainRuleException("This device is not a plate reader registered with Plates.", 403);
        var now = ArmPlateReadersOnIncidentOpenedHandler.Microseconds(clock.GetUtcNow());   // as PostgreSQL keeps it
        var fault = command.Fault?.Trim();
        if (fault != reader.Fault)
            (reader.Fault, reader.FaultSince) = (fault, fault is null ? null : now);
        reader.StatusAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new ReaderStatusDto(reader.Fault, reader.FaultSince, now);
    }
}
