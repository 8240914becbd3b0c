namespace SafeCities.Modules.Plates;

/// <summary>Deployment settings for hotlists and hits (appsettings <c>Plates:Hotlists</c>).</summary>
internal sealed class HotlistOptions
{
    public const string Section = "Plates:Hotlists";
    /// <summary>A newly listed plate is checked against this many days of reads.</summary>
    public int RetroactiveDays { get; set; } = 7;
    /// <summary>
    /// When the newly listed plates can be read in at most this many spellings (misreads, a character missing or extra), the look-back
    /// fetches only those reads by the plate index — a plate added by hand has about 2,000; otherwise it reads the whole window through
    /// the matcher (ADR 0061).
    /// </summary>
    public int RetroactiveSpellingLimit { get; set; } = 100_000;
    /// <summary>The longest CSV a hotlist import accepts, in lines.</summary>
    public int MaxImportLines { get; set; } = 200_000;
    /// <summary>A reader whose decided hits are rejected as "plate misread" at least this often is flagged on the hit statistics (0–1).</summary>
    public double MisreadFlagRate { get; set; } = 0.2;
    /// <summary>… once it has at least this many decided hits in the period (fewer say little).</summary>
    public int MisreadFlagMinDecided { get; set; } = 5;
}
