namespace SafeCities.Modules.Shared.Purposes;

/// <summary>
/// What a search or record view states about why it is made (issue 14, ADR 0047): the case number in the agency's format, the offence category
/// from the list, an optional purpose in words, and the approval it runs under when it needed one. The five look-ups' requests implement it;
/// their validators include <see cref="StatedPurposeValidator"/> and their handlers audit it with <see cref="PurposeAudit"/>.
/// </summary>
public interface IStatedPurpose
{
    /// <summary>Who asks (the audit's actor).</summary>
    string Actor { get; }
    string? CaseNumber { get; }
    string? Offence { get; }
    string? Purpose { get; }
    /// <summary>The commander's approval this exact look-up runs under (used once), when it needed one.</summary>
    Guid? ApprovalId { get; }
    /// <summary>The look-up's kind as its module audits it, e.g. <c>Plates/search</c>.</summary>
    string LookupKind { get; }
}

/// <summary>
/// A look-up a person asks for directly (plate search, co-location, intelligence search, person view): one without a case number or with a
/// sensitive term does not run until a commander approves it (<see cref="PurposeGateBehavior{TMessage,TResponse}"/>). Vehicle sightings are
/// not gated themselves: only the person view asks for them, under its own statement and approval.
/// </summary>
public interface IApprovalGated : IStatedPurpose;

/// <summary>The purpose rules every look-up's validator includes (<c>Include(new StatedPurposeValidator(purposes))</c>): one mechanism for all five.</summary>
internal sealed class StatedPurposeValidator : AbstractValidator<IStatedPurpose>
{
    public StatedPurposeValidator(PurposePolicy purposes)
    {
        var person = (IStatedPurpose p) => p.Actor != PurposePolicy.SystemActor;
        RuleFor(p => p.CaseNumber).Cascade(CascadeMode.Stop).MaximumLength(40)
            .Must(purposes.IsCaseNumber).WithMessage(purposes.CaseNumberMessage)
            .When(p => !string.IsNullOrWhiteSpace(p.CaseNumber));
        RuleFor(p => p.Offence).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(purposes.OffenceRequiredMessage)
            .Must(o => purposes.Offence(o) is not null).WithMessage(purposes.OffenceMessage)
            .When(person);
        RuleFor(p => p.Purpose).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Without a case number, say in 'purpose' why this look-up is needed: a commander reads it before approving.")
            .When(p => person(p) && string.IsNullOrWhiteSpace(p.CaseNumber));
        RuleFor(p => p.Purpose).Cascade(CascadeMode.Stop)
            .Must(p => p!.Trim().Length >= 4).WithMessage("'purpose' is too short to say why (at least 4 characters), or leave it out.")
            .MaximumLength(500)
            .Must(p => !purposes.IsVague(p)).WithMessage(PurposePolicy.VagueMessage)
            .When(p => !string.IsNullOrWhiteSpace(p.Purpose));
    }
}

/// <summary>What the API documentation says about a look-up's statement, the same for the five.</summary>
public static class PurposeDocs
{
    public const string Statement =
        "State 'caseNumber' (the agency's format, see GET /api/v1/purposes), 'offence' (one of that list) and optionally 'purpose' in words; vague " +
        "purposes ('investigation', 'case', 'test') are refused with 400. Without a case number (then 'purpose' is required), or with a term on the " +
        "sensitive list, the look-up is not run: 403 with 'approvalRequestId', queued to commanders; once approved, send the same look-up with " +
        "'approvalId' (valid once, for you and that exact look-up).";
}
