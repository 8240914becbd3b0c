namespace SafeCities.Modules.Intelligence.Analysis.Underreporting;

/// <summary>How a detection and a call are paired: the call lies within <paramref name="MaxMeters"/> and was received between
/// <paramref name="MinutesBefore"/> before and <paramref name="MinutesAfter"/> after the detection (clocks of the CAD and the sensors differ).</summary>
internal sealed record ReportingWindow(double MaxMeters, double MinutesBefore, double MinutesAfter)
{
    public static readonly ReportingWindow Default = new(300, 5, 30);
}

/// <summary>One sensor detection and whether any gunfire call answers it.</summary>
internal sealed record DetectionOutcome(AnalysisEvent Detection, bool Called);

/// <summary>Detected gunfire of one district and hour of day (city time): how much of it nobody called in.</summary>
internal sealed record ReportingCell(string District, int Hour, int Detected, int WithoutCall)
{
    public double UnreportedShare => Detected == 0 ? 0 : WithoutCall / (double)Detected;
}

/// <summary>
/// The under-reporting join (ADR 0023): a detection counts as reported when at least one gunfire call lies inside its window; one call may
/// answer several detections (a burst that the sensors split is still one call). Calls are searched by time (sorted, binary search), then
/// by distance, so a year of detections against a year of calls is milliseconds.
/// </summary>
internal static class GunfireReporting
{
    public static IReadOnlyList<DetectionOutcome> Match(IReadOnlyList<AnalysisEvent> detections, IReadOnlyList<AnalysisEvent> calls,
        ReportingWindow window)
    {
        var sorted = calls.OrderBy(c => c.At).ToArray();
        var times = sorted.Select(c => c.At.UtcTicks).ToArray();
        var outcomes = new List<DetectionOutcome>(detections.Count);
        foreach (var d in detections)
        {
            var from = (d.At - TimeSpan.FromMinutes(window.MinutesBefore)).UtcTicks;
            var to = (d.At + TimeSpan.FromMinutes(window.MinutesAfter)).UtcTicks;
            var i = Array.BinarySearch(times, from);
            if (i < 0)
                i = ~i;
            else
                while (i > 0 && times[i - 1] == from)
                    i--;
            var called = false;
            for (; i < sorted.Length && times[i] <= to && !called; i++)
                called = AnalysisSources.DistanceMeters(d.Latitude, d.Longitude, sorted[i].Latitude, sorted[i].Longitude) <= window.MaxMeters;
            outcomes.Add(new DetectionOutcome(d, called));
        }
        return outcomes;
    }

    /// <summary>Per district and hour of day in <paramref name="zone"/>, only cells with detections, district then hour.</summary>
    public static IReadOnlyList<ReportingCell> ByDistrictAndHour(IEnumerable<DetectionOutcome> outcomes, TimeZoneInfo zone) =>
        outcomes.GroupBy(o => (o.Detection.District, TimeZoneInfo.ConvertTime(o.Detection.At, zone).Hour))
            .Select(g => new ReportingCell(g.Key.District, g.Key.Hour, g.Count(), g.Count(o => !o.Called)))
            .OrderBy(c => c.District, StringComparer.Ordinal).ThenBy(c => c.Hour).ToList();
}
