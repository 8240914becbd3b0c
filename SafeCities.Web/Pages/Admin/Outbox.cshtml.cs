using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Web.Pages.Admin;

/// <summary>The modules' outboxes (docs/adr/0013-one-transactional-outbox.md): what waits, and the messages that failed, with their errors.</summary>
internal sealed class OutboxModel(ISender sender) : PageModel
{
    public OutboxOverviewDto Overview { get; private set; } = new([], []);

    public string? Notice { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Overview = await sender.Send(new ListOutboxQuery(), ct);

    public async Task<IActionResult> OnPostRetryAsync(string outbox, Guid id, CancellationToken ct)
    {
        Notice = await sender.Send(new RetryOutboxMessageCommand(outbox, id), ct)
            ? $"Message {id} is being delivered again."
            : $"Message {id} is not a failed message of {outbox} (already retried or delivered).";
        Overview = await sender.Send(new ListOutboxQuery(), ct);
        return Page();
    }
}
