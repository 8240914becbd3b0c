using System.Text.Json;
using SafeCities.Modules.Lighting.Contracts;

namespace SafeCities.Web.Areas.Lighting.Pages;

/// <summary>Lights out: every open maintenance work order, on a map and in a list (fits a phone).</summary>
internal sealed class OutagesModel(ISender sender) : PageModel
{
    public IReadOnlyList<WorkOrderDto> WorkOrders { get; private set; } = [];
    public string PointsJson { get; private set; } = "[]";

    public async Task OnGetAsync(CancellationToken ct)
    {
        WorkOrders = await sender.Send(new ListOpenWorkOrdersQuery(), ct);
        PointsJson = JsonSerializer.Serialize(WorkOrders.Select(w => new { w.LightName, w.Latitude, w.Longitude, w.FaultKind, w.FaultAt }),
            JsonSerializerOptions.Web).Replace("<", "\\u003c");
    }
}
