using System.Globalization;

namespace SafeCities.Modules.Shared.Text;

/// <summary>How a measured value is written for people: whole above 100, one decimal above 1, three below ("415", "60.2", "0.034").</summary>
public static class Measurement
{
    public static string Text(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 1 ? "0.#" : "0.###", CultureInfo.InvariantCulture);
}
