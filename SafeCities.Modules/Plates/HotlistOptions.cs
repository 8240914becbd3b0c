namespace SafeCities.Modules.Plates;

/// <summary>Deployment settings for hotlists and hits (appsettings <c>Plates:Hotlists</c>).</summary>
internal sealed class HotlistOptions
{
    public const string Section = "Plates:Hotlists";
    /// <summary>A newly listed plate is checked against this many days of reads.</summary>
    public int RetroactiveDays { get; set; } = 7;
    /// <summary>
    /// Up to this many new entries at once, the look-back lets the database pick the candidate reads (the entries' folded plates, each
    /// with about 30 × length one-character variants, and their wildcards); a larger import's look-back reads the whole window through
    /// the matcher (ADR 0061).
    /// </summary>
    public int RetroactivePrefilterLimit { get; set; } = 500;
    /// <summary>How old a node's compiled matcher may get before it is rebuilt in the background (changes on any node apply at once).</summary>
    public int MatcherCacheSeconds { get; set; } = 30;
    /// <summary>The longest CSV a hotlist import accepts, in lines.</summary>
    public int MaxImportLines { get; set; } = 200_000;
    /// <summary>A reader whose decided hits are rejected as "plate misread" at least this often is flagged on the hit statistics (0–1).</summary>
    public double MisreadFlagRate { get; set; } = 0.2;
    /// <summary>… once it has at least this many decided hits in the period (fewer say little).</summary>
    public int MisreadFlagMinDecided { get; set; } = 5;
}
