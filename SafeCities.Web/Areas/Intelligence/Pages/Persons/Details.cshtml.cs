using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Web.Pages.Shared;

namespace SafeCities.Web.Areas.Intelligence.Pages.Persons;

/// <summary>
/// One person as this viewer may see them: records by agency, their vehicles' plate sightings and incidents near them on a map, timeline,
/// link graph. Viewing is audited with purpose (and the plate look-up by Plates, with the same purpose).
/// </summary>
internal sealed class DetailsModel(ISender sender, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? CaseNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? Offence { get; set; }
    [BindProperty(SupportsGet = true)] public string? Purpose { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? ApprovalId { get; set; }

    /// <summary>What this look-up states, and the approval request it waits for (shared with the other look-up pages).</summary>
    public StatedPurposeForm Statement => statement ??= new() { CaseNumber = CaseNumber, Offence = Offence, Purpose = Purpose, ApprovalId = ApprovalId };
    private StatedPurposeForm? statement;

    public PersonDetailDto? Person { get; private set; }

    /// <summary>Sightings and located incidents for person-map.js; empty arrays when there is nothing to put on a map.</summary>
    public object MapData { get; private set; } = new { };

    public bool HasMap { get; private set; }

    /// <summary>The link graph for person-graph.js (Cytoscape): nodes and edges with their evidence; labels are data, drawn on a canvas.</summary>
    public object GraphData { get; private set; } = new { };

    /// <summary>The viewer may confirm or split links (policy IntelligenceAnalysts, as the API).</summary>
    public bool CanLink { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!Statement.Stated)
            return Page();
        if (!await Statement.RunAsync(async () => Person = await sender.Send(new GetPersonQuery(Viewer.Of(User), id, Purpose, CaseNumber, Offence, ApprovalId), ct),
                ModelState, sender, User, ct))
            return Page();
        if (Person is null)
            return NotFound();
        CanLink = (await authorization.AuthorizeAsync(User, Policies.IntelligenceAnalysts)).Succeeded;
        GraphData = new
        {
            nodes = Person.Nodes,
            edges = Person.Edges.Select((e, i) => new { id = $"e{i}", e.From, e.To, e.Label, e.Kind, e.Evidence, e.IdentityId }),
        };
        var incidents = Person.Incidents.Where(i => i.Latitude is not null && i.Longitude is not null).ToList();
        HasMap = Person.Sightings.Count > 0 || incidents.Count > 0;
        MapData = new
        {
            sightings = Person.Sightings.Select(s => new { s.Plate, s.Latitude, s.Longitude, s.CapturedAt, s.ReaderName }),
            incidents = incidents.Select(i => new { i.Id, i.Title, i.Status, i.Latitude, i.Longitude, i.OpenedAt }),
        };
        return Page();
    }
}
