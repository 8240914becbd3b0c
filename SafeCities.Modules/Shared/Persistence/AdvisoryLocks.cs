namespace SafeCities.Modules.Shared.Persistence;

/// <summary>
/// Every PostgreSQL advisory lock key the application takes, in one list, so that no two ideas share a key by accident (a unit test checks that
/// the keys are distinct). Single-key locks (<c>pg_advisory_lock(bigint)</c>) and two-key locks (<c>pg_advisory_lock(int, int)</c>) live in
/// separate key spaces in PostgreSQL and never meet. Add a key here, with a line saying what it serialises, rather than a constant in a feature.
/// </summary>
public static class AdvisoryLocks
{
    // ---- single-key (bigint) locks --------------------------------------------------------------------------------------

    /// <summary>Start-up: one node at a time migrates the databases and runs the start-up tasks (seeding), a session lock.</summary>
    public const long StartUp = 0x5AFEC17E_0001;

    /// <summary>Platform: changes that could leave the city without an unlocked administrator (two admins locking each other at once).</summary>
    public const long Administrators = 0x5AFEC17E5;

    /// <summary>Alerts: incident opening, so that two shots of one event arriving together cannot open two incidents.</summary>
    public const long IncidentOpening = 0x5AFEC171;

    /// <summary>Sensors: locating acoustic pulses into gunshot detections, one report at a time, so that the same pulses are not located twice.</summary>
    public const long PulseLocating = 0x5AFE5E25;

    /// <summary>Lighting: every change of a light's level or state (raise, restore, faults), so that "no active raise covers it" and the light's
    /// state are decided on committed data.</summary>
    public const long LightingLevels = 0x5AFE_11_6417;

    /// <summary>Lighting: streetlight import chunks, one at a time, so that two imports naming the same lights cannot both create them.</summary>
    public const long StreetlightImport = 0x5AFE_11_6418;

    /// <summary>Platform: address-point import chunks, one at a time, so that two imports naming the same address cannot both store it.</summary>
    public const long AddressImport = 0x5AFE_AD_0001;

    /// <summary>Platform: replacing the police districts, one import at a time (each replaces them all).</summary>
    public const long DistrictImport = 0x5AFE_AD_0002;

    /// <summary>Plates: arming readers on an incident and dropping an expired day of reads (exclusive) against plate-read ingestion (shared).</summary>
    public const long PlatesArming = 0x504C41544553;

    /// <summary>Plates: a change of the hotlists (exclusive, taken at its commit by <c>plates.hotlist_change_waits_for_ingestion</c>, a deferred
    /// trigger) against plate-read ingestion (shared): a batch commits wholly before a change or reads the lists' version after it (ADR 0062).
    /// The trigger holds this value: change it only with a migration that changes the trigger.</summary>
    public const long PlatesHotlistChange = 0x504C_484F_544C;

    /// <summary>Video: the camera reaction to one incident, one delivery at a time; the key is the incident id folded to 64 bits XOR this
    /// base (a session lock).</summary>
    public const long CameraReactionPerIncident = 0x5AFE_C1DE_0000_0000;

    /// <summary>Plates: linking the reads already sent to one incident (the look-back after arming), one delivery at a time; keyed per
    /// incident with <see cref="PerIncident"/> (a transaction lock).</summary>
    public const long PlatesLookBackPerIncident = 0x5AFE_100B_0000_0000;

    /// <summary>Plates: one Intelligence hotlist request at a time (its listing and its withdrawal, which Intelligence's outbox may deliver in
    /// either order and more than once); keyed per request with <see cref="PerIncident"/>'s folding (a transaction lock).</summary>
    public const long IntelligenceHotlistPerRequest = 0x5AFE_4071_0000_0000;

    /// <summary>Plates: one run of an owed hotlist look-back at a time (the listing request's own and the outbox sweep's); keyed per owed message
    /// with <see cref="PerIncident"/>'s folding (a transaction lock, only tried: the sweep leaves a look-back that is running to its request).</summary>
    public const long HotlistLookBackOwedPerMessage = 0x5AFE_100C_0000_0000;

    /// <summary>Alerts: citizen report intake, one at a time, so that two reports of one event arriving together join one cluster.</summary>
    public const long CitizenReportIntake = 0x5AFEC172;

    /// <summary>Intelligence: entity resolution of person records, one batch at a time, so that every batch resolves against the persons of
    /// the batches committed before it and a person record sent twice at once is stored once (ADR 0053).</summary>
    public const long PersonResolution = 0x5AFE_1D_0001;

    // ---- two-key (int, int) locks: the first int is the class ----------------------------------------------------------

    /// <summary>Plates: ingestion per reader (second key: the reader id folded to 32 bits; a collision only makes two readers wait).</summary>
    public const int PlateReaderIngestionClass = 0x504C5244;

    /// <summary>The second key of <see cref="PlateReaderIngestionClass"/> for one reader: its id folded to 32 bits (a collision only makes two
    /// readers wait for each other).</summary>
    public static int PlateReaderIngestion(Guid readerId)
    {
        Span<byte> bytes = stackalloc byte[16];
        readerId.TryWriteBytes(bytes);
        return BitConverter.ToInt32(bytes[..4]) ^ BitConverter.ToInt32(bytes[4..8]) ^ BitConverter.ToInt32(bytes[8..12]) ^ BitConverter.ToInt32(bytes[12..]);
    }

    /// <summary>A single key for one incident in the key space of <paramref name="perIncidentBase"/>: the incident id folded to 64 bits XOR
    /// the base (two incidents folding alike only wait for each other).</summary>
    public static long PerIncident(long perIncidentBase, Guid incidentId)
    {
        Span<byte> bytes = stackalloc byte[16];
        incidentId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]) ^ perIncidentBase;
    }
}
