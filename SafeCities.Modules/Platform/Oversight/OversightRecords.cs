using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Reporting;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Platform.Oversight;

/// <summary>A complaint about a surveillance technology or a violation of its use policy, as the oversight body recorded it (ADR 0052).</summary>
internal sealed class OversightCase
{
    public Guid Id { get; init; }
    public required string Technology { get; set; }
    public required string Kind { get; set; }
    public DateOnly ReceivedOn { get; set; }
    public required string Summary { get; set; }
    public required string Status { get; set; }
    public string? Finding { get; set; }
    public string? Action { get; set; }
    public string? ActionNotes { get; set; }
    public DateTimeOffset RecordedAt { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    public OversightCaseDto ToDto() => new(Id, Technology, Kind, ReceivedOn, Summary, Status, Finding, Action, ActionNotes, UpdatedAt, UpdatedBy);
}

/// <summary>One cost line of a technology in a calendar year (ADR 0052).</summary>
internal sealed class TechnologyCost
{
    public Guid Id { get; init; }
    public required string Technology { get; set; }
    public int Year { get; set; }
    public required string Category { get; set; }
    public decimal Amount { get; set; }
    public required string FundingSource { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    public TechnologyCostDto ToDto() => new(Id, Technology, Year, Category, Amount, FundingSource, UpdatedAt, UpdatedBy);
}

internal static class OversightModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<OversightCase>(e =>
        {
            e.ToTable("oversight_cases");
            e.Property(c => c.Technology).HasMaxLength(40);
            e.Property(c => c.Kind).HasMaxLength(20);
            e.Property(c => c.Summary).HasMaxLength(4000);
            e.Property(c => c.Status).HasMaxLength(20);
            e.Property(c => c.Finding).HasMaxLength(40);
            e.Property(c => c.Action).HasMaxLength(40);
            e.Property(c => c.ActionNotes).HasMaxLength(2000);
            e.Property(c => c.RecordedBy).HasMaxLength(256);
            e.Property(c => c.UpdatedBy).HasMaxLength(256);
            e.HasIndex(c => c.ReceivedOn);
        });
        b.Entity<TechnologyCost>(e =>
        {
            e.ToTable("technology_costs");
            e.Property(c => c.Technology).HasMaxLength(40);
            e.Property(c => c.Category).HasMaxLength(40);
            e.Property(c => c.Amount).HasPrecision(14, 2);
            e.Property(c => c.FundingSource).HasMaxLength(200);
            e.Property(c => c.UpdatedBy).HasMaxLength(256);
            e.HasIndex(c => new { c.Technology, c.Year, c.Category, c.FundingSource }).IsUnique();
        });
    }

    /// <summary>The annual report of a year shows these figures: a change drops its cached copies (every zone: the report is cached per zone).</summary>
    public static void Changed(IMemoryCache cache, IConfiguration config, int year) =>
        cache.Remove(Reports.GetAnnualReportQueryHandler.CacheKey(year, CityZone.Id(config)));
}

internal sealed class SaveOversightCaseCommandValidator : AbstractValidator<SaveOversightCaseCommand>
{
    /// <summary>Nothing this platform reports on is older; a date before it is a typing mistake.</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    public SaveOversightCaseCommandValidator(TimeProvider clock, IConfiguration config)
    {
        RuleFor(c => c.Technology).Must(t => t is not null && ReportTechnologies.All.Contains(t))
            .WithMessage($"'technology' must be one of: {string.Join(", ", ReportTechnologies.All)}.");
        RuleFor(c => c.Kind).Must(k => k is not null && OversightCaseKinds.All.Contains(k))
            .WithMessage($"'kind' must be one of: {string.Join(", ", OversightCaseKinds.All)}.");
        RuleFor(c => c.ReceivedOn).NotNull().WithMessage("'receivedOn' is required.")
            .Must(d => d >= Earliest).WithMessage($"'receivedOn' is before {Earliest:yyyy-MM-dd}.")
            .Must(d => d <= Today(clock, config)).WithMessage("'receivedOn' is in the future.");
        RuleFor(c => c.Summary).Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("'summary' is required: what was complained of or found.")
            .MaximumLength(4000);
        RuleFor(c => c.Status).Must(s => s is not null && OversightCaseStatuses.All.Contains(s))
            .WithMessage($"'status' must be one of: {string.Join(", ", OversightCaseStatuses.All)}.");
        RuleFor(c => c.Finding).Must(f => f is null || OversightFindings.All.Contains(f))
            .WithMessage($"'finding' must be one of: {string.Join(", ", OversightFindings.All)}.");
        RuleFor(c => c.Action).Must(a => a is null || OversightActions.All.Contains(a))
            .WithMessage($"'action' must be one of: {string.Join(", ", OversightActions.All)}.");
        RuleFor(c => c.Finding).NotEmpty().WithMessage("A closed case needs its finding.").When(c => c.Status == OversightCaseStatuses.Closed);
        RuleFor(c => c.Action).NotEmpty().WithMessage("A closed case needs the action taken ('none' when nothing was done).")
            .When(c => c.Status == OversightCaseStatuses.Closed);
        RuleFor(c => c.Finding).Empty().WithMessage("An open case has no finding yet: close it to record one.").When(c => c.Status == OversightCaseStatuses.Open);
        RuleFor(c => c.Action).Empty().WithMessage("An open case has no action yet: close it to record one.").When(c => c.Status == OversightCaseStatuses.Open);
        RuleFor(c => c.ActionNotes).MaximumLength(2000);
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }

    /// <summary>Today in the city (a complaint received today late in the evening is still today's).</summary>
    public static DateOnly Today(TimeProvider clock, IConfiguration config) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(CityZone.Id(config))).DateTime);
}

internal sealed class SaveOversightCaseCommandHandler(PlatformDbContext db, TimeProvider clock, IMemoryCache cache, IConfiguration config)
    : ICommandHandler<SaveOversightCaseCommand, OversightCaseDto>
{
    public async ValueTask<OversightCaseDto> Handle(SaveOversightCaseCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var found = c.Id is { } id
            ? await db.Set<OversightCase>().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new DomainRuleException("No such case.", 404)
            : null;
        var before = found?.ToDto();
        var record = found ?? db.Set<OversightCase>().Add(new OversightCase
        {
            Id = Guid.CreateVersion7(), Technology = "", Kind = "", Summary = "", Status = "", RecordedAt = now, RecordedBy = c.By, UpdatedBy = c.By,
        }).Entity;
        record.Technology = c.Technology!;
        record.Kind = c.Kind!;
        record.ReceivedOn = c.ReceivedOn!.Value;
        record.Summary = c.Summary!.Trim();
        record.Status = c.Status!;
        record.Finding = c.Finding;
        record.Action = c.Action;
        record.ActionNotes = string.IsNullOrWhiteSpace(c.ActionNotes) ? null : c.ActionNotes.Trim();
        record.UpdatedAt = now;
        record.UpdatedBy = c.By;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Platform", before is null ? "add-oversight-case" : "change-oversight-case", null, new { before, after = record.ToDto() }, now, ct);
        await tx.CommitAsync(ct);
        OversightModel.Changed(cache, config, record.ReceivedOn.Year);
        if (before is not null && before.ReceivedOn.Year != record.ReceivedOn.Year)
            OversightModel.Changed(cache, config, before.ReceivedOn.Year);
        return record.ToDto();
    }
}

internal sealed class ListOversightCasesQueryValidator : AbstractValidator<ListOversightCasesQuery>
{
    public ListOversightCasesQueryValidator()
    {
        RuleFor(q => q.Year).InclusiveBetween(SaveOversightCaseCommandValidator.Earliest.Year, 2100);
        RuleFor(q => q.Technology).Must(t => t is null || ReportTechnologies.All.Contains(t))
            .WithMessage($"'technology' must be one of: {string.Join(", ", ReportTechnologies.All)}.");
    }
}

internal sealed class ListOversightCasesQueryHandler(PlatformDbContext db) : IQueryHandler<ListOversightCasesQuery, IReadOnlyList<OversightCaseDto>>
{
    public async ValueTask<IReadOnlyList<OversightCaseDto>> Handle(ListOversightCasesQuery q, CancellationToken ct)
    {
        var cases = db.Set<OversightCase>().AsNoTracking();
        if (q.Year is { } year)
            cases = cases.Where(c => c.ReceivedOn >= new DateOnly(year, 1, 1) && c.ReceivedOn < new DateOnly(year + 1, 1, 1));
        if (q.Technology is { } technology)
            cases = cases.Where(c => c.Technology == technology);
        return (await cases.OrderByDescending(c => c.ReceivedOn).ThenByDescending(c => c.RecordedAt).ToListAsync(ct)).Select(c => c.ToDto()).ToList();
    }
}

internal sealed class SaveTechnologyCostCommandValidator : AbstractValidator<SaveTechnologyCostCommand>
{
    public const decimal Max = 1_000_000_000_000m;

    public SaveTechnologyCostCommandValidator(TimeProvider clock)
    {
        RuleFor(c => c.Technology).Must(t => t is not null && ReportTechnologies.All.Contains(t))
            .WithMessage($"'technology' must be one of: {string.Join(", ", ReportTechnologies.All)}.");
        RuleFor(c => c.Year).NotNull().InclusiveBetween(AnnualReportYears.First, clock.GetUtcNow().Year + 1)
            .WithMessage(_ => $"'year' must be a year from {AnnualReportYears.First} to {clock.GetUtcNow().Year + 1}.");
        RuleFor(c => c.Category).Must(k => k is not null && CostCategories.All.Contains(k))
            .WithMessage($"'category' must be one of: {string.Join(", ", CostCategories.All)}.");
        RuleFor(c => c.Amount).NotNull().WithMessage("'amount' is required (US dollars).")
            .GreaterThanOrEqualTo(0).WithMessage("'amount' may not be negative.")
            .LessThan(Max).WithMessage("'amount' is too large.")
            .Must(a => a is null || decimal.Round(a.Value, 2) == a.Value).WithMessage("'amount' has at most two decimals (cents).");
        RuleFor(c => c.FundingSource).Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("'fundingSource' is required: where the money came from.")
            .MaximumLength(200);
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }
}

internal sealed class SaveTechnologyCostCommandHandler(PlatformDbContext db, TimeProvider clock, IMemoryCache cache, IConfiguration config)
    : ICommandHandler<SaveTechnologyCostCommand, TechnologyCostDto>
{
    public async ValueTask<TechnologyCostDto> Handle(SaveTechnologyCostCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var found = c.Id is { } id
            ? await db.Set<TechnologyCost>().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new DomainRuleException("No such cost line.", 404)
            : null;
        var before = found?.ToDto();
        var cost = found ?? db.Set<TechnologyCost>().Add(new TechnologyCost
            { Id = Guid.CreateVersion7(), Technology = "", Category = "", FundingSource = "", UpdatedBy = c.By }).Entity;
        cost.Technology = c.Technology!;
        cost.Year = c.Year!.Value;
        cost.Category = c.Category!;
        cost.Amount = c.Amount!.Value;
        cost.FundingSource = c.FundingSource!.Trim();
        cost.UpdatedAt = now;
        cost.UpdatedBy = c.By;
        var duplicate = $"{cost.Technology} already has a {cost.Category} line funded by '{cost.FundingSource}' in {cost.Year}: change that one.";
        if (await db.Set<TechnologyCost>().AnyAsync(x => x.Id != cost.Id && x.Technology == cost.Technology && x.Year == cost.Year
                && x.Category == cost.Category && x.FundingSource == cost.FundingSource, ct))
            throw new DomainRuleException(duplicate);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new DomainRuleException(duplicate);
        }
        await db.AuditAsync(c.By, "Platform", before is null ? "add-technology-cost" : "change-technology-cost", null, new { before, after = cost.ToDto() }, now, ct);
        await tx.CommitAsync(ct);
        OversightModel.Changed(cache, config, cost.Year);
        if (before is not null && before.Year != cost.Year)
            OversightModel.Changed(cache, config, before.Year);
        return cost.ToDto();
    }
}

internal sealed class DeleteTechnologyCostCommandHandler(PlatformDbContext db, TimeProvider clock, IMemoryCache cache, IConfiguration config)
    : ICommandHandler<DeleteTechnologyCostCommand, bool>
{
    public async ValueTask<bool> Handle(DeleteTechnologyCostCommand c, CancellationToken ct)
    {
        if (await db.Set<TechnologyCost>().SingleOrDefaultAsync(x => x.Id == c.Id, ct) is not { } cost)
            return false;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Set<TechnologyCost>().Remove(cost);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Platform", "delete-technology-cost", null, new { before = cost.ToDto() }, now, ct);
        await tx.CommitAsync(ct);
        OversightModel.Changed(cache, config, cost.Year);
        return true;
    }
}

internal sealed class ListTechnologyCostsQueryValidator : AbstractValidator<ListTechnologyCostsQuery>
{
    public ListTechnologyCostsQueryValidator() => RuleFor(q => q.Year).InclusiveBetween(AnnualReportYears.First, 2100);
}

internal sealed class ListTechnologyCostsQueryHandler(PlatformDbContext db) : IQueryHandler<ListTechnologyCostsQuery, IReadOnlyList<TechnologyCostDto>>
{
    public async ValueTask<IReadOnlyList<TechnologyCostDto>> Handle(ListTechnologyCostsQuery q, CancellationToken ct)
    {
        var costs = db.Set<TechnologyCost>().AsNoTracking();
        if (q.Year is { } year)
            costs = costs.Where(c => c.Year == year);
        return (await costs.OrderByDescending(c => c.Year).ThenBy(c => c.Technology).ThenBy(c => c.Category).ThenBy(c => c.FundingSource).ToListAsync(ct))
            .Select(c => c.ToDto()).ToList();
    }
}

/// <summary>What the annual report shows of a year: counts and outcomes of the cases received in it, and its cost lines, per technology.</summary>
internal static class OversightFigures
{
    public static async Task<Dictionary<string, OversightUseDto>> ForYearAsync(PlatformDbContext db, int year, CancellationToken ct)
    {
        var (first, next) = (new DateOnly(year, 1, 1), new DateOnly(year + 1, 1, 1));
        var cases = await db.Set<OversightCase>().AsNoTracking().Where(c => c.ReceivedOn >= first && c.ReceivedOn < next)
            .Select(c => new { c.Technology, c.Kind, c.Status, c.Finding, c.Action }).ToListAsync(ct);
        var costs = await db.Set<TechnologyCost>().AsNoTracking().Where(c => c.Year == year).ToListAsync(ct);
        return ReportTechnologies.All.ToDictionary(t => t, t =>
        {
            OversightCountsDto Counts(string kind)
            {
                var mine = cases.Where(c => c.Technology == t && c.Kind == kind).ToList();
                var closed = mine.Where(c => c.Status == OversightCaseStatuses.Closed).ToList();
                return new OversightCountsDto(mine.Count, mine.Count - closed.Count,
                    closed.GroupBy(c => c.Finding ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                    closed.GroupBy(c => c.Action ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
            }
            var lines = costs.Where(c => c.Technology == t)
                .OrderBy(c => CostCategories.All.ToList().IndexOf(c.Category)).ThenBy(c => c.FundingSource, StringComparer.Ordinal)
                .Select(c => new CostLineDto(c.Category, c.FundingSource, c.Amount)).ToList();
            return new OversightUseDto(Counts(OversightCaseKinds.Complaint), Counts(OversightCaseKinds.Violation), lines, lines.Sum(l => l.Amount));
        });
    }
}
