namespace SafeCities.Web.Pages.PublicAlerts;

/// <summary>
/// A link sent in a message (confirm a sign-up, unsubscribe): GET only shows a button (mail scanners follow links), the POST acts; a token
/// that is not ours answers 404 and changes nothing.
/// </summary>
internal abstract class TokenLinkModel(ISender sender) : PageModel
{
    public bool? Done { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        Done = await ActAsync(sender, token, ct);
        if (Done != true)
            Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    /// <summary>Does what the link is for; false when the token is not ours.</summary>
    protected abstract ValueTask<bool> ActAsync(ISender sender, string token, CancellationToken ct);
}
