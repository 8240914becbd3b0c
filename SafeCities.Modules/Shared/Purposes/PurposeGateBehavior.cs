using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Shared.Purposes;

/// <summary>
/// After validation, before the handler of a look-up a person asks for (<see cref="IApprovalGated"/>): one that carries an approval id uses it
/// (refused unless approved for this person and this exact look-up, once, in time); one without a case number or with a sensitive term is not
/// run: it is queued for a commander and refused with 403, the ProblemDetails carrying the request's id (<see cref="ApprovalProblem"/>).
/// An approved look-up that then fails without answering (anything but a refusal: a timeout, a lost connection, a fault) gives its approval
/// back (<see cref="ReturnSearchApprovalCommand"/>): the person saw nothing, so the one use is not spent.
/// </summary>
internal sealed class PurposeGateBehavior<TMessage, TResponse>(PurposePolicy purposes, ISender sender)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IApprovalGated p || p.Actor == PurposePolicy.SystemActor)
            return await next(message, cancellationToken);
        var terms = PurposePolicy.Terms(p);
        var fingerprint = PurposePolicy.Fingerprint(p, terms);
        if (p.ApprovalId is { } approval)
        {
            await sender.Send(new UseSearchApprovalCommand(approval, p.Actor, p.LookupKind, fingerprint), cancellationToken);
            try
            {
                return await next(message, cancellationToken);
            }
            catch (Exception ex) when (ex is not (DomainRuleException or ValidationException))
            {
                // Not cancelled with the request: the approval must come back even when the person's connection is what failed.
                await sender.Send(new ReturnSearchApprovalCommand(approval, p.Actor, ex.GetType().Name), CancellationToken.None);
                throw;
            }
        }
        var reasons = purposes.Screen(p, terms);
        if (reasons.Count == 0)
            return await next(message, cancellationToken);
        var request = await sender.Send(new RequestSearchApprovalCommand(p.Actor, p.LookupKind, fingerprint, terms.ToJsonString(), p.CaseNumber?.Trim(),
            purposes.Offence(p.Offence), p.Purpose?.Trim(), reasons), cancellationToken);
        throw new DomainRuleException(request.Status == SearchApprovalStatuses.Approved
                ? $"This look-up needs a commander's approval ({string.Join("; ", reasons)}): request {request.Id} is approved; send the same look-up " +
                  $"again with approvalId={request.Id} (valid once)."
                : $"This look-up needs a commander's approval first ({string.Join("; ", reasons)}). It is queued as request {request.Id}; once " +
                  $"approved, send the same look-up again with approvalId={request.Id}.", 403,
            new Dictionary<string, object?>
            {
                [ApprovalProblem.RequestId] = request.Id, [ApprovalProblem.Status] = request.Status, [ApprovalProblem.Reasons] = reasons,
            });
    }
}
