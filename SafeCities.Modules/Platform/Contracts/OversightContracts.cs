namespace SafeCities.Modules.Platform.Contracts;

// ---------- complaints, violations and costs per surveillance technology (issue 14, ADR 0052; San Francisco Admin. Code 19B) ----------

/// <summary>A complaint received about a technology, or a violation of its use policy found (by an audit, a review, a complaint).</summary>
public static class OversightCaseKinds
{
    public const string Complaint = "complaint";
    public const string Violation = "violation";
    public static readonly IReadOnlyList<string> All = [Complaint, Violation];
}

public static class OversightCaseStatuses
{
    public const string Open = "open";
    public const string Closed = "closed";
    public static readonly IReadOnlyList<string> All = [Open, Closed];
}

/// <summary>What the oversight body found when it closed a case (public, counted).</summary>
public static class OversightFindings
{
    public const string Sustained = "sustained";
    public const string NotSustained = "not-sustained";
    public const string Unfounded = "unfounded";
    public const string Exonerated = "exonerated";
    public static readonly IReadOnlyList<string> All = [Sustained, NotSustained, Unfounded, Exonerated];
}

/// <summary>What was done about it (public, counted); the particulars stay in the case's notes, which only oversight and administrators read.</summary>
public static class OversightActions
{
    public const string None = "none";
    public const string Training = "training";
    public const string Discipline = "discipline";
    public const string AccessRevoked = "access-revoked";
    public const string PolicyChanged = "policy-changed";
    public const string Referred = "referred";
    public const string Other = "other";
    public static readonly IReadOnlyList<string> All = [None, Training, Discipline, AccessRevoked, PolicyChanged, Referred, Other];
}

/// <summary>19B's annual cost categories.</summary>
public static class CostCategories
{
    public const string Personnel = "personnel";
    public const string Maintenance = "maintenance";
    public const string Licences = "licences";
    public const string Acquisition = "acquisition";
    public const string Other = "other";
    public static readonly IReadOnlyList<string> All = [Personnel, Maintenance, Licences, Acquisition, Other];
}

/// <param name="Summary">What was complained of or found, in the oversight body's words: never public (it can name people).</param>
/// <param name="ActionNotes">The particulars of the action taken: never public.</param>
public sealed record OversightCaseDto(Guid Id, string Technology, string Kind, DateOnly ReceivedOn, string Summary, string Status, string? Finding,
    string? Action, string? ActionNotes, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>Cases received in <paramref name="Year"/> (all years when null), of <paramref name="Technology"/> (all when null), newest first.</summary>
public sealed record ListOversightCasesQuery(int? Year = null, string? Technology = null) : IQuery<IReadOnlyList<OversightCaseDto>>;

/// <summary>
/// Records a case (<paramref name="Id"/> null) or changes one; the oversight body's. Audited with before and after. A closed case has a
/// finding and an action; an open one has neither. Cases are never deleted: a mistaken one is closed as unfounded.
/// </summary>
public sealed record SaveOversightCaseCommand(Guid? Id, string? Technology, string? Kind, DateOnly? ReceivedOn, string? Summary, string? Status,
    string? Finding, string? Action, string? ActionNotes, string By) : ICommand<OversightCaseDto>;

/// <summary>One cost line of a technology in a year: a category, the amount (US dollars) and where the money came from.</summary>
public sealed record TechnologyCostDto(Guid Id, string Technology, int Year, string Category, decimal Amount, string FundingSource,
    DateTimeOffset UpdatedAt, string UpdatedBy);

public sealed record ListTechnologyCostsQuery(int? Year = null) : IQuery<IReadOnlyList<TechnologyCostDto>>;

/// <summary>Adds (<paramref name="Id"/> null) or changes a cost line; one line per technology, year, category and funding source. Audited.</summary>
public sealed record SaveTechnologyCostCommand(Guid? Id, string? Technology, int? Year, string? Category, decimal? Amount, string? FundingSource,
    string By) : ICommand<TechnologyCostDto>;

/// <summary>Deletes a cost line (audited with what it said). False when there was none.</summary>
public sealed record DeleteTechnologyCostCommand(Guid Id, string By) : ICommand<bool>;

// ---- in the annual report: counts, outcomes and costs only ----

/// <param name="Received">Cases of the kind received in the year (by date received).</param>
/// <param name="Open">Of those, still open when the report was computed.</param>
/// <param name="Findings">Closed ones by finding.</param>
/// <param name="Actions">Closed ones by action taken.</param>
public sealed record OversightCountsDto(int Received, int Open, IReadOnlyDictionary<string, int> Findings, IReadOnlyDictionary<string, int> Actions);

public sealed record CostLineDto(string Category, string FundingSource, decimal Amount);

/// <param name="Costs">The year's cost lines as entered; empty when nobody entered any (the report says "not entered", not zero).</param>
public sealed record OversightUseDto(OversightCountsDto Complaints, OversightCountsDto Violations, IReadOnlyList<CostLineDto> Costs, decimal TotalCost);
