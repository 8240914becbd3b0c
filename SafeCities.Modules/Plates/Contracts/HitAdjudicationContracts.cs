using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Plates.Contracts;

/// <summary>Where a hit stands: every hit starts <see cref="Unconfirmed"/>; a person confirms or rejects it once (ADR 0043).</summary>
public static class HitDecisions
{
    public const string Unconfirmed = "unconfirmed";
    public const string Confirmed = "confirmed";
    public const string Rejected = "rejected";
    public static readonly IReadOnlyList<string> Decided = [Confirmed, Rejected];
}

public sealed record HitReasonDto(string Code, string Label);

/// <summary>The fixed reasons for confirming or rejecting a hit (ADR 0043); "other" needs notes saying what.</summary>
public static class HitDecisionReasons
{
    public const string Other = "other";
    public const string PlateMisread = "plate-misread";

    public static readonly IReadOnlyList<HitReasonDto> Confirm =
    [
        new("confirmed-with-agency", "Confirmed with NCIC / the owning agency"), new(Other, "Other (say what)"),
    ];

    public static readonly IReadOnlyList<HitReasonDto> Reject =
    [
        new(PlateMisread, "Plate misread"), new("vehicle-mismatch", "Vehicle does not match"), new("entry-stale", "Entry stale or cleared"),
        new(Other, "Other (say what)"),
    ];

    public static IReadOnlyList<HitReasonDto> For(string? decision) => decision switch
    {
        HitDecisions.Confirmed => Confirm,
        HitDecisions.Rejected => Reject,
        _ => [],
    };

    public static string Label(string? decision, string? code) =>
        code is null ? "" : For(decision).FirstOrDefault(r => r.Code == code)?.Label ?? code;
}

/// <summary>
/// A person confirms or rejects a hit with a reason of <see cref="HitDecisionReasons"/> (notes required for "other"). Audited; final: the
/// same decision again answers the hit unchanged, another one is refused (409). <see cref="HotlistHitDecidedEvent"/> commits with the decision in
/// Plates' outbox and is delivered before the answer (retried by the outbox if that fails; the decision stands).
/// </summary>
public sealed record DecideHotlistHitCommand(Guid HitId, string? Decision, string? Reason, string? Notes, string By, bool SeesRestricted = true)
    : ICommand<HotlistHitDto>;

/// <summary>
/// A hit was confirmed or rejected (Alerts puts it on the incident; a rejected hit closes its incident). Through Plates' outbox: it may come
/// again, and <paramref name="Id"/> (the decision's; its timeline entry's) lets a handler find what it did the first time.
/// </summary>
public sealed record HotlistHitDecidedEvent(Guid Id, Guid HitId, string Decision, string Reason, string ReasonLabel, string? Notes, string By,
    DateTimeOffset At, string ReadPlate) : Shared.Outbox.IOutboxMessage;

/// <summary>These hits (e.g. the ones on an incident's timeline), oldest first; unknown ids are left out.</summary>
public sealed record GetHotlistHitsQuery(IReadOnlyList<Guid> HitIds, bool SeesRestricted) : IQuery<IReadOnlyList<HotlistHitDto>>;

/// <summary>
/// Reads, hits and decisions per month (in <paramref name="TimeZone"/>, an IANA id), reader, list and match kind, for months starting in
/// [<paramref name="From"/>, <paramref name="To"/>). Never a plate. <paramref name="CountReads"/> false leaves the reads out (every stored
/// read of the period counted: at a city's volume a long statement, which the transparency page caches) when only the hits are wanted.
/// </summary>
public sealed record GetHitStatisticsQuery(DateTimeOffset From, DateTimeOffset To, string TimeZone, bool CountReads = true) : IQuery<HitStatisticsDto>, IMonthlyPeriodQuery;

/// <param name="RejectedByReason">Reason code → rejected hits.</param>
public sealed record HitStatisticsRowDto(string Month, Guid ReaderId, string ReaderName, Guid HotlistId, string HotlistName, string MatchKind, int Hits,
    int Confirmed, int Rejected, IReadOnlyDictionary<string, int> RejectedByReason);

/// <param name="MisreadRate">Hits rejected as "plate misread" over decided hits; null with none decided.</param>
/// <param name="HighMisreadRate">The rate is at least <see cref="HitStatisticsDto.MisreadFlagRate"/> over at least
/// <see cref="HitStatisticsDto.MisreadFlagMinDecided"/> decided hits.</param>
public sealed record ReaderHitStatisticsDto(Guid ReaderId, string ReaderName, long Reads, int Hits, int Confirmed, int Rejected, int Misreads,
    double? MisreadRate, bool HighMisreadRate);

/// <param name="ReadsByMonth">(month, reader) → reads.</param>
public sealed record HitStatisticsDto(DateTimeOffset From, DateTimeOffset To, string TimeZone, IReadOnlyList<HitStatisticsRowDto> Rows,
    IReadOnlyList<ReaderHitStatisticsDto> Readers, IReadOnlyList<ReaderMonthReadsDto> ReadsByMonth, double MisreadFlagRate, int MisreadFlagMinDecided);

public sealed record ReaderMonthReadsDto(string Month, Guid ReaderId, long Reads);
