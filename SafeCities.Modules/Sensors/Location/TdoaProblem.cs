namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// One shot's usable pulses in a numerically friendly form: sensor coordinates relative to their centroid and
/// arrival times converted to ranges in metres, c·(t − earliest arrival).
/// </summary>
internal sealed class TdoaProblem
{
    private TdoaProblem(Point3 origin, double referenceTime, double speedOfSound, double priorZ, int[] pulseIndices, int count)
    {
        Origin = origin;
        ReferenceTime = referenceTime;
        SpeedOfSound = speedOfSound;
        PriorZ = priorZ;
        PulseIndices = pulseIndices;
        X = new double[count];
        Y = new double[count];
        Z = new double[count];
        Range = new double[count];
        PositionError = new double[count];
    }

    /// <summary>Centroid of the sensors; all local coordinates are relative to it.</summary>
    public Point3 Origin { get; }

    /// <summary>Earliest arrival time (seconds); ranges are measured from it.</summary>
    public double ReferenceTime { get; }

    public double SpeedOfSound { get; }

    /// <summary>Assumed source elevation, relative to <see cref="Origin"/>.</summary>
    public double PriorZ { get; }

    /// <summary>For each row, the index of the pulse in the caller's list.</summary>
    public int[] PulseIndices { get; }

    public double[] X { get; }

    public double[] Y { get; }

    public double[] Z { get; }

    /// <summary>c·(arrival time − <see cref="ReferenceTime"/>), metres.</summary>
    public double[] Range { get; }

    /// <summary>Sensor position 1-sigma (metres) per row.</summary>
    public double[] PositionError { get; }

    public int Count => X.Length;

    public static TdoaProblem Create(IReadOnlyList<AcousticPulse> pulses, int[] pulseIndices, double speedOfSound, double? sourceElevation)
    {
        var n = pulseIndices.Length;
        double sumX = 0, sumY = 0, sumZ = 0, earliest = double.PositiveInfinity;
        foreach (var index in pulseIndices)
        {
            var pulse = pulses[index];
            sumX += pulse.Sensor.X;
            sumY += pulse.Sensor.Y;
            sumZ += pulse.Sensor.Z;
            earliest = Math.Min(earliest, pulse.ArrivalTimeSeconds);
        }

        var origin = new Point3(sumX / n, sumY / n, sumZ / n);
        var priorZ = sourceElevation is { } elevation ? elevation - origin.Z : 0.0;
        var problem = new TdoaProblem(origin, earliest, speedOfSound, priorZ, pulseIndices, n);
        for (var row = 0; row < n; row++)
        {
            var pulse = pulses[pulseIndices[row]];
            problem.X[row] = pulse.Sensor.X - origin.X;
            problem.Y[row] = pulse.Sensor.Y - origin.Y;
            problem.Z[row] = pulse.Sensor.Z - origin.Z;
            problem.Range[row] = speedOfSound * (pulse.ArrivalTimeSeconds - earliest);
            problem.PositionError[row] = double.IsFinite(pulse.SensorPositionErrorMeters) ? Math.Abs(pulse.SensorPositionErrorMeters) : 0.0;
        }

        return problem;
    }

    public double DistanceTo(int row, double x, double y, double z)
    {
        var dx = x - X[row];
        var dy = y - Y[row];
        var dz = z - Z[row];
        return Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
    }

    /// <summary>Range residual (metres) of one row: measured range − (bias + distance to the estimated source).</summary>
    public double Residual(int row, in SourceEstimate estimate) =>
        Range[row] - estimate.Bias - DistanceTo(row, estimate.X, estimate.Y, estimate.Z);
}
