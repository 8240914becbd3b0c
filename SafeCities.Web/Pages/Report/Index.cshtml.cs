using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages.Report;

/// <summary>
/// Public (no account): a member of the public reports what they saw. Antiforgery (Razor Pages' own check on every post), a server-made
/// question against scripts, and a per-address rate limit on posts (<see cref="CitizenReportLimits.RateLimitPolicy"/>).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(CitizenReportLimits.RateLimitPolicy)]
internal sealed class IndexModel(ISender sender, CityClock clock, TimeProvider time) : PageModel
{
    [BindProperty]
    public ReportInput Input { get; set; } = new();

    public ReportChallengeDto Question { get; private set; } = null!;

    public CitizenReportReceiptDto? Receipt { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.OccurredAt = clock.ToLocal(time.GetUtcNow()).DateTime;
        Question = await sender.Send(new IssueReportChallengeCommand(), ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var at = clock.FromLocal(Input.OccurredAt, ModelState, "Input.OccurredAt");
        var timeExists = Input.OccurredAt is null || at is not null;   // a time the clocks skip is the field's error
        if (timeExists && !await sender.Send(new VerifyReportChallengeCommand(Input.ChallengeToken, Input.ChallengeAnswer), ct))
            ModelState.AddModelError("Input.ChallengeAnswer", "That answer is not right (or the question expired): answer the new question.");
        else if (timeExists)
        {
            try
            {
                var photos = new List<ReportPhotoUpload>();
                foreach (var file in Input.Photos.Take(20))
                {
                    using var buffer = new MemoryStream();
                    await file.CopyToAsync(buffer, ct);
                    photos.Add(new ReportPhotoUpload(file.FileName, file.ContentType, buffer.ToArray()));
                }
                Receipt = await sender.Send(new SubmitCitizenReportCommand("web", Input.Category, Input.Description, at, Input.Latitude, Input.Longitude,
                    Input.ContactName, Input.ContactPhone, Input.ContactEmail, photos), ct);
                return Page();
            }
            catch (ValidationException ex)
            {
                ModelState.AddValidationErrors(ex, "Input");
            }
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        // A new question: the old answer is cleared (its error, if any, stays) and the new token replaces the posted one.
        ModelState.SetModelValue("Input.ChallengeAnswer", new Microsoft.AspNetCore.Mvc.ModelBinding.ValueProviderResult(""));
        ModelState.Remove("Input.ChallengeToken");
        Question = await sender.Send(new IssueReportChallengeCommand(), ct);
        return Page();
    }
}

public sealed class ReportInput
{
    public string? Category { get; set; }
    public string? Description { get; set; }

    /// <summary>City time, from the form's date-and-time field.</summary>
    public DateTime? OccurredAt { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? ContactName { get; set; }
    public string? ContactPhone { get; set; }
    public string? ContactEmail { get; set; }
    public List<IFormFile> Photos { get; set; } = [];
    public string? ChallengeToken { get; set; }
    public string? ChallengeAnswer { get; set; }
}
