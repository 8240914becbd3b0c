using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Modules.Alerts.CitizenReports;

/// <summary>
/// The question is two small numbers to add; the token carries the answer, its expiry and a nonce, protected (encrypted and signed) with
/// the app's data-protection keys, so the server keeps no state until a token is used. A used nonce is remembered until the token expires,
/// so one solved question cannot be replayed (per node: on several nodes, a replay to another node passes at most once per node).
/// </summary>
internal static class ReportChallenge
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    public const string Purpose = "SafeCities.CitizenReports.Challenge.v1";
}

internal sealed class IssueReportChallengeCommandHandler(IDataProtectionProvider protection, TimeProvider clock)
    : ICommandHandler<IssueReportChallengeCommand, ReportChallengeDto>
{
    public ValueTask<ReportChallengeDto> Handle(IssueReportChallengeCommand command, CancellationToken cancellationToken)
    {
        int a = RandomNumberGenerator.GetInt32(2, 20), b = RandomNumberGenerator.GetInt32(2, 20);
        var expires = clock.GetUtcNow().Add(ReportChallenge.Lifetime).ToUnixTimeSeconds();
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var token = protection.CreateProtector(ReportChallenge.Purpose).Protect(FormattableString.Invariant($"{a + b}|{expires}|{nonce}"));
        return ValueTask.FromResult(new ReportChallengeDto($"What is {a} + {b}?", token));
    }
}

internal sealed class VerifyReportChallengeCommandHandler(IDataProtectionProvider protection, TimeProvider clock, IMemoryCache used)
    : ICommandHandler<VerifyReportChallengeCommand, bool>
{
    public ValueTask<bool> Handle(VerifyReportChallengeCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command.Token) || !int.TryParse(command.Answer?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var answer))
            return ValueTask.FromResult(false);
        string plain;
        try
        {
            plain = protection.CreateProtector(ReportChallenge.Purpose).Unprotect(command.Token);
        }
        catch (CryptographicException)
        {
            return ValueTask.FromResult(false);
        }
        var parts = plain.Split('|');
        if (parts.Length != 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var expected)
            || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var expires))
            return ValueTask.FromResult(false);
        var expiry = DateTimeOffset.FromUnixTimeSeconds(expires);
        if (expiry < clock.GetUtcNow() || expected != answer)
            return ValueTask.FromResult(false);
        var key = "report-challenge:" + parts[2];
        lock (used)
        {
            if (used.TryGetValue(key, out _))
                return ValueTask.FromResult(false);
            used.Set(key, true, expiry);
        }
        return ValueTask.FromResult(true);
    }
}
