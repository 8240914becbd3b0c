using Microsoft.Extensions.Caching.Memory;
using SafeCities.AuditVerify;
using SafeCities.Modules.Shared.Caching;

namespace SafeCities.Modules.Shared.Audit;

/// <summary>
/// The agencies that read data in one UTC day, from the log of their reads (ADR 0041): per agency (its name and kind) and data class, the reads and
/// the items they returned, in the canonical order of <see cref="AuditChainFormat.AgencyReadsContent"/>. Declared here, in Shared, because the
/// daily anchor job (Shared) signs it; answered by Intelligence, which owns the log (ADR 0055). Shared references no module.
/// </summary>
public sealed record GetAgencyReadsDayQuery(DateOnly Day) : IQuery<IReadOnlyList<AgencyReadsDayRowDto>>;

/// <param name="Reads">Searches and person views that returned data of this class to the agency in the day.</param>
/// <param name="Items">Persons, records, vehicles, plate reads or incidents of that class they returned.</param>
public sealed record AgencyReadsDayRowDto(string Agency, string Kind, string DataClass, long Reads, long Items);

/// <summary>
/// Public: a UTC day's agency list as a file anyone can keep and check (<c>/transparency/agency-reads/{day}</c>, the transparency page), with the
/// digest the daily anchor signed for it. <c>scripts/audit-verify --agency-reads DAY.json ANCHORS.json</c> recomputes the digest of the rows.
/// </summary>
public sealed record GetAgencyReadsDayFileQuery(DateOnly Day) : IQuery<AgencyReadsDayFileDto>;

/// <param name="Format"><see cref="AuditChainFormat.AgencyReadsVersion"/>: how <paramref name="Sha256"/> is computed from the day and the rows.</param>
/// <param name="Sha256">The digest of these rows, computed now (a verifier recomputes it and compares it with the signed one).</param>
/// <param name="Anchor">What the day's anchor signed for its list; null when the day is not anchored yet, or was anchored before lists were signed
/// (<paramref name="Status"/> says which).</param>
/// <param name="Status"><see cref="AgencyReadsDayStatuses"/>.</param>
public sealed record AgencyReadsDayFileDto(string Format, DateOnly Day, IReadOnlyList<AgencyReadsDayRowDto> Rows, string Sha256, string Status,
    AgencyReadsSignatureDto? Anchor);

/// <param name="Sha256">The digest signed when the day was anchored.</param>
/// <param name="Signature">Ed25519 signature (base64) of <see cref="AuditChainFormat.AgencyReadsAnchorMessage"/> for the day and that digest.</param>
public sealed record AgencyReadsSignatureDto(string Sha256, string Signature, string PublicKey, DateTimeOffset AnchoredAt);

public static class AgencyReadsDayStatuses
{
    /// <summary>The list as served now has the digest the anchor signed.</summary>
    public const string Matches = "matches";
    /// <summary>The list as served now differs from the one the anchor signed: it was changed after the day was anchored.</summary>
    public const string Differs = "differs";
    /// <summary>The day has no anchor yet (the daily job anchors yesterday at 00:07 UTC).</summary>
    public const string NotAnchored = "not-anchored";
    /// <summary>The day was anchored before agency lists were signed (ADR 0055): nothing to compare with.</summary>
    public const string NotSigned = "not-signed";
}

/// <summary>The days a list can be asked for: from 2020 (nothing of the platform is older) to today, UTC.</summary>
internal sealed class GetAgencyReadsDayFileQueryValidator : AbstractValidator<GetAgencyReadsDayFileQuery>
{
    public static readonly DateOnly First = new(2020, 1, 1);

    public GetAgencyReadsDayFileQueryValidator(TimeProvider clock) =>
        RuleFor(q => q.Day).Must(d => d >= First && d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithName("day").WithMessage($"'day' must be a UTC day (yyyy-MM-dd) from {First:yyyy-MM-dd} to today.");
}

/// <summary>Public: a day's file is computed at most every 10 minutes per node, one computation at a time (<see cref="PublicFigures"/>).</summary>
internal sealed class GetAgencyReadsDayFileQueryHandler(ISender sender, AuditDbContext db, IMemoryCache cache)
    : IQueryHandler<GetAgencyReadsDayFileQuery, AgencyReadsDayFileDto>
{
    public static string CacheKey(DateOnly day) => $"transparency:agency-reads-day:{day:yyyy-MM-dd}";

    public async ValueTask<AgencyReadsDayFileDto> Handle(GetAgencyReadsDayFileQuery q, CancellationToken ct) =>
        await cache.GetAsync(CacheKey(q.Day), c => BuildAsync(q, c), ct);

    private async Task<AgencyReadsDayFileDto> BuildAsync(GetAgencyReadsDayFileQuery q, CancellationToken ct)
    {
        var rows = await sender.Send(new GetAgencyReadsDayQuery(q.Day), ct);
        var digest = AgencyReadsDigest.Of(q.Day, rows);
        var anchor = await db.Anchors.AsNoTracking().Where(a => a.Day == q.Day)
            .Select(a => new { a.AgencyReadsSha256, a.AgencyReadsSignature, a.PublicKey, a.CreatedAt }).SingleOrDefaultAsync(ct);
        var signed = anchor is { AgencyReadsSha256: { } sha, AgencyReadsSignature: { } signature }
            ? new AgencyReadsSignatureDto(sha, signature, anchor.PublicKey, anchor.CreatedAt) : null;
        var status = anchor is null ? AgencyReadsDayStatuses.NotAnchored
            : signed is null ? AgencyReadsDayStatuses.NotSigned
            : signed.Sha256 == digest ? AgencyReadsDayStatuses.Matches : AgencyReadsDayStatuses.Differs;
        return new AgencyReadsDayFileDto(AuditChainFormat.AgencyReadsVersion, q.Day, rows, digest, status, signed);
    }
}

/// <summary>The one way the app computes a day's digest: <see cref="AuditChainFormat.AgencyReadsDigest"/>, as the verifier does.</summary>
internal static class AgencyReadsDigest
{
    public static string Of(DateOnly day, IEnumerable<AgencyReadsDayRowDto> rows) =>
        AuditChainFormat.AgencyReadsDigest(day, rows.Select(r => new AuditChainFormat.AgencyReadsRow(r.Agency, r.Kind, r.DataClass, r.Reads, r.Items)));
}
