using System.Globalization;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages.Admin;

/// <summary>Device health: every device of every kind with when it was last heard, its status and its last error; counts, filters and sorting.</summary>
internal sealed class DeviceHealthModel(ISender sender, TimeProvider clock) : PageModel
{
    public static readonly IReadOnlyList<string> Sorts = ["status", "name", "kind", "heard"];

    public IReadOnlyList<DeviceHealthDto> All { get; private set; } = [];
    public IReadOnlyList<DeviceHealthDto> Devices { get; private set; } = [];
    public IReadOnlyList<string> Kinds { get; private set; } = [];
    public string? Kind { get; private set; }
    public string? Status { get; private set; }
    public string Sort { get; private set; } = "status";
    public DateTimeOffset Now { get; private set; }
    /// <summary>The shown devices on the map: place, name, kind, status.</summary>
    public object PointsData { get; private set; } = Array.Empty<object>();

    public async Task OnGetAsync(string? kind, string? status, string? sort, CancellationToken ct)
    {
        Kinds = await sender.Send(new ListDeviceKindsQuery(), ct);
        Kind = Kinds.Contains(kind ?? "") ? kind : null;
        Status = DeviceHealthStatus.All.Contains(status ?? "") ? status : null;
        Sort = Sorts.Contains(sort ?? "") ? sort! : "status";
        Now = clock.GetUtcNow();
        All = await sender.Send(new ListDeviceHealthQuery(Kind), ct);
        var shown = All.Where(d => Status is null || d.Status == Status);
        Devices = Sort switch
        {
            "name" => [.. shown.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase)],
            "kind" => [.. shown.OrderBy(d => d.Kind).ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase)],
            // Longest silence first; never heard before anything heard.
            "heard" => [.. shown.OrderBy(d => d.LastHeardAt ?? DateTimeOffset.MinValue)],
            _ => [.. shown],
        };
        var places = (await sender.Send(new ListDevicesQuery(), ct)).ToDictionary(d => d.Id);
        PointsData = Devices.Where(d => places.ContainsKey(d.Id)).Select(d => new
        {
            d.Id, d.Name, d.Kind, d.Status, places[d.Id].Latitude, places[d.Id].Longitude,
        });
    }

    public int Count(string status) => All.Count(d => d.Status == status);

    /// <summary>"3 min ago", "5 h ago", "2 days ago"; "just now" under a minute.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        if (span < TimeSpan.FromMinutes(1))
            return "just now";
        if (span < TimeSpan.FromHours(1))
            return $"{(int)span.TotalMinutes} min ago";
        if (span < TimeSpan.FromDays(2))
            return $"{(int)span.TotalHours} h ago";
        return $"{(int)span.TotalDays} days ago";
    }

    /// <summary>"late after 1 h, silent after 12 h", or "heard when commanded".</summary>
    public static string Thresholds(DeviceHealthDto d) => d.LateAfter is { } late && d.SilentAfter is { } silent
        ? $"late after {Span(late)}, silent after {Span(silent)}"
        : "speaks when commanded";

    private static string Span(TimeSpan t) => t.TotalHours >= 1 && t.TotalMinutes % 60 == 0
        ? $"{t.TotalHours.ToString("0", CultureInfo.InvariantCulture)} h"
        : $"{t.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min";

    public static string Badge(string status) => status switch
    {
        DeviceHealthStatus.Ok => "text-bg-success",
        DeviceHealthStatus.Late => "text-bg-warning",
        DeviceHealthStatus.Silent => "text-bg-secondary",
        _ => "text-bg-danger",
    };
}
