using System.ComponentModel.DataAnnotations;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Alerts.Pages.Admin;

/// <summary>Administrators: the external CAP feeds we poll (Atom/RSS indexes or single messages), what each last poll did; add, poll now, remove. Audited.</summary>
internal sealed class CapFeedsModel(ISender sender) : PageModel
{
    [BindProperty]
    public FeedInput Input { get; set; } = new();

    public IReadOnlyList<CapFeedDto> Feeds { get; private set; } = [];
    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Feeds = await sender.Send(new ListCapFeedsQuery(), ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
            await TryAsync(async () =>
            {
                var feed = await sender.Send(new AddCapFeedCommand(Input.Name, Input.Url, Input.IntervalSeconds, User.Actor()), ct);
                Done = $"Subscribed to '{feed.Name}'. It is polled within a minute; use Poll now to see it at once.";
                Input = new FeedInput();
                ModelState.Clear();
            });
        Feeds = await sender.Send(new ListCapFeedsQuery(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPollAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();   // the add form's fields are not part of a poll
        await TryAsync(async () =>
        {
            var feed = await sender.Send(new PollCapFeedCommand(id), ct);
            Done = $"Polled '{feed.Name}': {feed.LastResult}{(feed.LastError is { } e ? $" — {e}" : "")}";
        });
        Feeds = await sender.Send(new ListCapFeedsQuery(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        await TryAsync(async () =>
        {
            await sender.Send(new RemoveCapFeedCommand(id, User.Actor()), ct);
            Done = "Unsubscribed. The alerts it brought stay; the change is in the audit log.";
        });
        Feeds = await sender.Send(new ListCapFeedsQuery(), ct);
        return Page();
    }

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (FluentValidation.ValidationException ex)
        {
            ModelState.AddValidationErrors(ex, nameof(Input));
        }
        catch (DomainRuleException ex)
        {
            ModelState.AddModelError(string.Empty, ex.Message);
        }
    }

    internal sealed class FeedInput
    {
        [Required, StringLength(200)]
        public string? Name { get; set; }

        [Required, Display(Name = "Address (http or https)")]
        public string? Url { get; set; }

        [Display(Name = "Poll every (seconds)")]
        public int? IntervalSeconds { get; set; } = 120;
    }
}
