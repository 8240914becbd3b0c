namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>
/// A weighted sum of other models' surfaces, each first scaled to sum to 1 over the grid (so the weights are shares of the score):
/// e.g. a long-term kernel density for the places that are always busy plus a short-term one for what is happening now.
/// </summary>
internal sealed class MixtureModel(string name, IReadOnlyList<(IHotspotModel Model, double Weight)> parts) : IHotspotModel
{
    public string Name => name;

    public CellForecast Forecast(EventSet events, double fromDay, double horizonDays)
    {
        var score = new double[events.Grid.CellCount];
        foreach (var (model, weight) in parts)
        {
            var part = model.Forecast(events, fromDay, horizonDays).Score;
            var total = part.Sum();
            if (total <= 0)
                continue;
            var scale = weight / total;
            for (var c = 0; c < score.Length; c++)
                score[c] += part[c] * scale;
        }
        return new CellForecast(score);
    }
}
