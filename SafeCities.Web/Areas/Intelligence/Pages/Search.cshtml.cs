using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Web.Pages.Shared;

namespace SafeCities.Web.Areas.Intelligence.Pages;

/// <summary>Analyst search: every search states its case number and offence (audited, ADR 0047); results show only what the viewer's access rules allow.</summary>
internal sealed class SearchModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? CaseNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? Offence { get; set; }
    [BindProperty(SupportsGet = true)] public string? Purpose { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? ApprovalId { get; set; }

    /// <summary>What this look-up states, and the approval request it waits for (shared with the other look-up pages).</summary>
    public StatedPurposeForm Statement => statement ??= new() { CaseNumber = CaseNumber, Offence = Offence, Purpose = Purpose, ApprovalId = ApprovalId };
    private StatedPurposeForm? statement;
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Dob { get; set; }
    [BindProperty(SupportsGet = true)] public string? Identifier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    [BindProperty(SupportsGet = true)] public string? Text { get; set; }

    public SearchResultDto? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (new[] { Name, Dob, Identifier, Plate, Text }.All(string.IsNullOrWhiteSpace))
            return;
        await Statement.RunAsync(async () =>
        {
            Result = await sender.Send(new SearchIntelligenceQuery(Viewer.Of(User), Purpose, Name, Dob, Identifier, Plate, null, Text, CaseNumber: CaseNumber,
                Offence: Offence, ApprovalId: ApprovalId), ct);
        }, ModelState, sender, User, ct);
    }
}
