using SafeCities.Modules.Lighting.Contracts;

namespace SafeCities.Web.Areas.Lighting.Pages;

/// <summary>Lights out: every open maintenance work order, on a map and in a list (fits a phone).</summary>
internal sealed class OutagesModel(ISender sender) : PageModel
{
    public IReadOnlyList<WorkOrderDto> WorkOrders { get; private set; } = [];
    public object PointsData { get; private set; } = Array.Empty<object>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        WorkOrders = await sender.Send(new ListOpenWorkOrdersQuery(), ct);
        PointsData = WorkOrders.Select(w => new { w.LightName, w.Latitude, w.Longitude, w.FaultKind, w.FaultAt });
    }
}
