namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// What every test look-up states (ADR 0047): a case number in the default format (<c>Purposes:CaseNumberPattern</c>) and an offence from the
/// list, so it runs without a commander's approval. Tests of the statement itself (PurposeRefusalTests, SearchApprovalTests) build their own.
/// </summary>
public static class Stated
{
    public const string CaseNumber = "2026-000123";
    public const string Offence = "burglary";

    /// <summary>The query-string part: <c>caseNumber=2026-000123&amp;offence=burglary</c>.</summary>
    public const string Query = "caseNumber=" + CaseNumber + "&offence=" + Offence;
}
