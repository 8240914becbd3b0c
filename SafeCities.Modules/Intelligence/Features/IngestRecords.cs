using FluentValidation.Results;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Intelligence.Resolution;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Intelligence.Features;

internal sealed class IngestRecordsCommandValidator : AbstractValidator<IngestRecordsCommand>
{
    public const int MaxBatch = 1000;

    public IngestRecordsCommandValidator(TimeProvider clock)
    {
        RuleFor(c => c.AgencyId).NotEmpty();
        RuleFor(c => c.Records).NotEmpty().Must(r => r.Count <= MaxBatch).WithMessage($"Send at most {MaxBatch} records per batch.");
        RuleForEach(c => c.Records).SetValidator(new RecordInputValidator(clock));
        RuleFor(c => c.Records).Custom((records, context) =>
        {
            var seen = new Dictionary<(string?, string?), int>();
            for (var i = 0; i < records.Count; i++)
                if (!seen.TryAdd((records[i].Kind, records[i].SourceId), i))
                    context.AddFailure(new ValidationFailure($"Records[{i}].SourceId",
                        $"'{records[i].SourceId}' ({records[i].Kind}) appears twice in this batch (first at line {seen[(records[i].Kind, records[i].SourceId)]})."));
        });
    }
}

internal sealed class RecordInputValidator : AbstractValidator<RecordInput>
{
    public RecordInputValidator(TimeProvider clock)
    {
        var latest = () => clock.GetUtcNow().AddDays(1);
        RuleFor(r => r.Kind).Must(RecordKinds.Ingestible.Contains).WithMessage($"'Kind' must be one of: {string.Join(", ", RecordKinds.Ingestible)}.");
        RuleFor(r => r.SourceId).NotEmpty().MaximumLength(100);
        RuleFor(r => r.PersonSourceId).MaximumLength(100);
        RuleFor(r => r.PersonSourceId).NotEmpty().When(r => r.Kind is RecordKinds.Booking or RecordKinds.Supervision or RecordKinds.Warrant or RecordKinds.CourtCase)
            .WithMessage("'Person Source Id' is required: name the agency's person record this is about.");
        RuleFor(r => r.Person).NotNull().When(r => r.Kind == RecordKinds.Person).WithMessage("'Person' is required for a person record.");
        RuleFor(r => r.Person!).SetValidator(new PersonInputValidator(clock)).When(r => r.Person is not null);
        RuleFor(r => r.Vehicle).NotNull().When(r => r.Kind == RecordKinds.Vehicle).WithMessage("'Vehicle' is required for a vehicle record.");
        When(r => r.Vehicle is not null, () =>
        {
            RuleFor(r => r.Vehicle!.Plate).Must(p => Vehicle.NormalizePlate(p ?? "").Length is >= 1 and <= 10)
                .WithMessage("'Plate' must have 1 to 10 letters or digits.");
            RuleFor(r => r.Vehicle!.Region).NotEmpty().MaximumLength(16);
            RuleFor(r => r.Vehicle!.Make).MaximumLength(40);
            RuleFor(r => r.Vehicle!.Model).MaximumLength(40);
            RuleFor(r => r.Vehicle!.Colour).MaximumLength(30);
        });
        RuleFor(r => r.StartedAt).NotNull().When(r => r.Kind is RecordKinds.Booking or RecordKinds.Supervision or RecordKinds.CallForService);
        RuleFor(r => r.StartedAt).Must(t => t is null || (t.Value.Year >= 1900 && t.Value <= latest())).WithMessage("'Started At' is not a plausible time.");
        RuleFor(r => r.EndedAt).Must((r, end) => end is null || r.StartedAt is null || end >= r.StartedAt)
            .WithMessage("'Ended At' is before 'Started At'.");
        RuleFor(r => r.Facility).NotEmpty().When(r => r.Kind == RecordKinds.Booking);
        RuleFor(r => r.Facility).MaximumLength(160);
        RuleFor(r => r.SupervisingOfficer).NotEmpty().When(r => r.Kind == RecordKinds.Supervision);
        RuleFor(r => r.SupervisingOfficer).MaximumLength(256);
        RuleFor(r => r.Status).Must(s => WarrantStatus.All.Contains(s!)).When(r => r.Kind == RecordKinds.Warrant)
            .WithMessage($"'Status' of a warrant must be one of: {string.Join(", ", WarrantStatus.All)}.");
        RuleFor(r => r.Status).MaximumLength(40);
        RuleFor(r => r.CaseNumber).NotEmpty().When(r => r.Kind == RecordKinds.CourtCase);
        RuleFor(r => r.CaseNumber).MaximumLength(60);
        RuleFor(r => r.CallType).NotEmpty().When(r => r.Kind == RecordKinds.CallForService);
        RuleFor(r => r.CallType).MaximumLength(80);
        RuleFor(r => r.Disposition).MaximumLength(500);
        RuleFor(r => r.Conditions).MaximumLength(1000);
        RuleFor(r => r.Address).MaximumLength(300);
        RuleFor(r => r.Narrative).MaximumLength(8000);
        RuleFor(r => r.Charges).Must(c => c is null || c.Count <= 50).WithMessage("At most 50 charges.");
        RuleForEach(r => r.Charges).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Latitude).InclusiveBetween(-90, 90);
        RuleFor(r => r.Longitude).InclusiveBetween(-180, 180);
        RuleFor(r => r.Longitude).NotNull().When(r => r.Latitude is not null).WithMessage("Give both 'Latitude' and 'Longitude', or neither.");
        RuleFor(r => r.Latitude).NotNull().When(r => r.Longitude is not null).WithMessage("Give both 'Latitude' and 'Longitude', or neither.");
    }
}

internal sealed class PersonInputValidator : AbstractValidator<PersonInput>
{
    public PersonInputValidator(TimeProvider clock)
    {
        RuleFor(p => p.FirstName).NotEmpty().MaximumLength(80);
        RuleFor(p => p.LastName).NotEmpty().MaximumLength(80);
        RuleFor(p => p.MiddleName).MaximumLength(80);
        RuleFor(p => p.DateOfBirth).Must(d => d is null || (d.Value.Year >= 1900 && d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            .WithMessage("'Date Of Birth' must be between 1900 and today.");
        RuleFor(p => p.Aliases).Must(a => a is null || a.Count <= 20).WithMessage("At most 20 aliases.");
        RuleForEach(p => p.Aliases).NotEmpty().MaximumLength(160);
        RuleFor(p => p.Identifiers).Must(i => i is null || (i.Count <= 20 && i.All(kv => kv.Key.Trim().Length is > 0 and <= 40 && kv.Value.Trim().Length is > 0 and <= 60)))
            .WithMessage("Identifiers are up to 20 type → value pairs (type up to 40, value up to 60 characters, neither empty).");
        RuleFor(p => p.Address).MaximumLength(300);
        RuleFor(p => p.District).MaximumLength(40);
    }
}

/// <summary>
/// Writes a batch of one agency's records in one transaction: all or nothing. Person records are resolved together against everyone already
/// known and each other (<see cref="PersonResolver"/>, a set-based batch — a single record is a batch of one); releases of watched or recidivist persons and warrant changes put their events in Intelligence's outbox in the same transaction.
/// </summary>
internal sealed class IngestRecordsCommandHandler(IntelligenceDbContext db, PersonResolver resolver, RecordReactions reactions, TimeProvider clock)
    : ICommandHandler<IngestRecordsCommand, IngestResultDto>
{
    public async ValueTask<IngestResultDto> Handle(IngestRecordsCommand command, CancellationToken cancellationToken)
    {
        var agency = await db.Agencies.FindAsync([command.AgencyId], cancellationToken)
            ?? throw new DomainRuleException("This API key's agency is not registered with Intelligence.", 403);
        var allowed = RecordKinds.AllowedFor(agency.Kind);
        var failures = command.Records.Select((r, i) => (r, i)).Where(x => !allowed.Contains(x.r.Kind))
            .Select(x => new ValidationFailure($"Records[{x.i}].Kind", $"A {agency.Kind} agency may not send '{x.r.Kind}' records (allowed: {string.Join(", ", allowed)}).")).ToList();
        if (failures.Count > 0)
            throw new ValidationException(failures);

        var now = clock.GetUtcNow();
        var results = new List<IngestedRecordDto>();
        var pending = new PendingReactions();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Person records first, resolved together as one batch (PersonResolver: one candidate query, COPY writes); the other kinds may name
        // a person of this batch, which is then already stored.
        results.AddRange(await resolver.UpsertAsync(agency,
            command.Records.Select((r, line) => new PersonResolver.Item(line, r)).Where(x => x.Input.Kind == RecordKinds.Person).ToList(), now, cancellationToken));
        for (var line = 0; line < command.Records.Count; line++)
        {
            var input = command.Records[line];
            var result = input.Kind switch
            {
                RecordKinds.Person => null,
                RecordKinds.Vehicle => await UpsertVehicleAsync(agency, line, input, now, failures, pending, cancellationToken),
                _ => await UpsertRecordAsync(agency, line, input, now, failures, pending, cancellationToken),
            };
            if (result is not null)
                results.Add(result);
        }
        results.Sort((a, b) => a.Line.CompareTo(b.Line));
        if (failures.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            throw new ValidationException(failures);
        }
        await db.SaveChangesAsync(cancellationToken);
        await reactions.PrepareAsync(agency, pending, now, cancellationToken);
        await db.AuditAsync(command.Actor, "Intelligence", "ingest-records", null,
            new { agency = agency.Name, received = command.Records.Count, created = results.Count(r => r.Created) }, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IngestResultDto(command.Records.Count, results.Count(r => r.Created), results.Count(r => !r.Created), results);
    }

    private async Task<Guid?> PersonOfAsync(Agency agency, int line, string? personSourceId, List<ValidationFailure> failures, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(personSourceId))
            return null;
        var personId = await db.Identities.Where(i => i.AgencyId == agency.Id && i.SourceId == personSourceId).Select(i => (Guid?)i.PersonId)
            .SingleOrDefaultAsync(ct);
        if (personId is null)
            failures.Add(new ValidationFailure($"Records[{line}].PersonSourceId",
                $"No person record '{personSourceId}' from {agency.Name}: send the person (earlier in this batch or before)."));
        return personId;
    }

    private async Task<IngestedRecordDto?> UpsertVehicleAsync(Agency agency, int line, RecordInput input, DateTimeOffset now, List<ValidationFailure> failures,
        PendingReactions pending, CancellationToken ct)
    {
        var owner = await PersonOfAsync(agency, line, input.PersonSourceId, failures, ct);
        var v = input.Vehicle!;
        var plate = Vehicle.NormalizePlate(v.Plate);
        var region = v.Region.Trim().ToUpperInvariant();
        var vehicle = await db.Vehicles.SingleOrDefaultAsync(x => x.Plate == plate && x.Region == region, ct);
        var created = vehicle is null;
        if (vehicle is null)
        {
            vehicle = new Vehicle { Id = Guid.CreateVersion7(), Plate = plate, Region = region };
            db.Vehicles.Add(vehicle);
        }
        vehicle.Make = v.Make?.Trim() ?? vehicle.Make;
        vehicle.Model = v.Model?.Trim() ?? vehicle.Model;
        vehicle.Colour = v.Colour?.Trim() ?? vehicle.Colour;
        if (owner is not null && owner != vehicle.OwnerPersonId)
            pending.NewlyOwnedVehicles.Add(vehicle);   // the owner may already have an active warrant (RecordReactions)
        vehicle.OwnerPersonId = owner ?? vehicle.OwnerPersonId;
        vehicle.AgencyId = agency.Id;
        vehicle.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return new IngestedRecordDto(line, input.Kind, input.SourceId, vehicle.Id, vehicle.OwnerPersonId, created, null);
    }

    private async Task<IngestedRecordDto?> UpsertRecordAsync(Agency agency, int line, RecordInput input, DateTimeOffset now, List<ValidationFailure> failures,
        PendingReactions pending, CancellationToken ct)
    {
        var personId = await PersonOfAsync(agency, line, input.PersonSourceId, failures, ct);
        if (failures.Count > 0)
            return null;
        var record = await db.Records.SingleOrDefaultAsync(r => r.AgencyId == agency.Id && r.Kind == input.Kind && r.SourceId == input.SourceId, ct);
        var created = record is null;
        var (wasEnded, oldStatus) = (record?.EndedAt is not null, record?.Status);
        if (record is null)
        {
            record = new AgencyRecord { Id = Guid.CreateVersion7(), AgencyId = agency.Id, Kind = input.Kind, SourceId = input.SourceId, Summary = "", ReceivedAt = now };
            db.Records.Add(record);
        }
        record.PersonId = personId ?? record.PersonId;
        record.StartedAt = input.StartedAt?.ToUniversalTime();
        record.EndedAt = input.EndedAt?.ToUniversalTime();
        record.Status = input.Status?.Trim();
        record.Sealed = input.Sealed;
        record.ViolentOffence = input.ViolentOffence;
        record.SupervisingOfficer = input.SupervisingOfficer?.Trim().ToLowerInvariant();
        record.Latitude = input.Latitude;
        record.Longitude = input.Longitude;
        record.Address = input.Address?.Trim();
        record.Narrative = input.Narrative?.Trim();
        record.Details = Details(input);
        record.Summary = Summary(input);
        record.UpdatedAt = now;
        await db.SaveChangesAsync(ct);

        if (record.Kind == RecordKinds.Booking && record.EndedAt is not null && !wasEnded && record.PersonId is not null)
            pending.Releases.Add(record);
        if (record.Kind == RecordKinds.Warrant && record.PersonId is not null && record.Status != oldStatus)
        {
            if (record.Status == WarrantStatus.Active)
                pending.ActivatedWarrants.Add(record);
            else if (oldStatus == WarrantStatus.Active)
                pending.EndedWarrants.Add(record);
        }
        return new IngestedRecordDto(line, input.Kind, input.SourceId, record.Id, record.PersonId, created, null);
    }

    private static Dictionary<string, string> Details(RecordInput r)
    {
        var d = new Dictionary<string, string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
                d[key] = value.Trim();
        }
        Add("facility", r.Facility);
        Add("charges", r.Charges is { Count: > 0 } c ? string.Join("; ", c) : null);
        Add("supervisingOfficer", r.SupervisingOfficer);
        Add("conditions", r.Conditions);
        Add("caseNumber", r.CaseNumber);
        Add("disposition", r.Disposition);
        Add("callType", r.CallType);
        if (r.ViolentOffence)
            d["violentOffence"] = "yes";
        return d;
    }

    private static string Summary(RecordInput r)
    {
        var text = r.Kind switch
        {
            RecordKinds.Booking => $"Booked at {r.Facility}" + (r.EndedAt is { } end ? $", released {end:yyyy-MM-dd}" : ", in custody"),
            RecordKinds.Supervision => $"{r.Status ?? "active"} supervision" + (r.EndedAt is { } end ? $" until {end:yyyy-MM-dd}" : ""),
            RecordKinds.Warrant => $"Warrant {r.Status}",
            RecordKinds.CourtCase => $"Court case {r.CaseNumber}" + (r.Status is { Length: > 0 } s ? $" ({s})" : ""),
            RecordKinds.CallForService => $"{r.CallType} call" + (r.Address is { Length: > 0 } a ? $" at {a}" : ""),
            _ => r.Kind,
        };
        return text.Length > 500 ? text[..500] : text;
    }
}

internal sealed class RecordExistsQueryHandler(IntelligenceDbContext db) : IQueryHandler<RecordExistsQuery, bool>
{
    public async ValueTask<bool> Handle(RecordExistsQuery query, CancellationToken cancellationToken) =>
        await db.Records.AnyAsync(r => r.AgencyId == query.AgencyId && r.Kind == query.Kind && r.SourceId == query.SourceId, cancellationToken);
}

/// <summary>What a batch changed that others must hear about once it is committed.</summary>
internal sealed class PendingReactions
{
    public List<AgencyRecord> Releases { get; } = [];
    public List<AgencyRecord> ActivatedWarrants { get; } = [];
    public List<AgencyRecord> EndedWarrants { get; } = [];
    /// <summary>Vehicles that got an owner (new, or another owner) in this batch.</summary>
    public List<Vehicle> NewlyOwnedVehicles { get; } = [];
}
