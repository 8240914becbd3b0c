namespace SafeCities.Modules.Sensors.Location;

/// <summary>A point in a local Cartesian frame, in metres (x east-ish, y north-ish, z up).</summary>
internal readonly record struct Point3(double X, double Y, double Z)
{
    public double DistanceTo(Point3 other)
    {
        var dx = X - other.X;
        var dy = Y - other.Y;
        var dz = Z - other.Z;
        return Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
    }

    public double HorizontalDistanceTo(Point3 other)
    {
        var dx = X - other.X;
        var dy = Y - other.Y;
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);
}
