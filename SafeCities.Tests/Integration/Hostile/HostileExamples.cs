using System.Text;
using System.Text.Json;
using Npgsql;
using SafeCities.Tests.Integration.Alerts;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Integration.Hostile;

/// <summary>
/// What a schema cannot know about an operation's valid request: who may call it, the ids of things it acts on, the values its rules want
/// (a merge patch over the body the schema gives), and how to undo a change to shared settings.
/// </summary>
internal sealed record Example(string? ApiKey = null, IReadOnlyDictionary<string, string>? Path = null, IReadOnlyDictionary<string, string>? Query = null,
    JsonNode? Body = null, (string Text, string ContentType)? Raw = null, Func<Task>? Restore = null);

/// <summary>
/// The hand-written part of the valid requests of <see cref="HostileInputTests"/>, one entry per operation the schema alone cannot call
/// successfully. An operation whose valid request changes something other tests share gets fresh things to act on (a new user to lock, a new
/// incident to close, a new import to commit) or a <see cref="Example.Restore"/> (module settings). A new endpoint that needs ids or
/// particular values gets an entry here; without one, the test fails naming it.
/// </summary>
internal sealed class HostileExamples(AppFixture app)
{
    private const string Purpose = "case HOSTILE-2026-1";
    private Guid agency;
    private string feedKey = "";
    private string plateReaderKey = "", gunshotKey = "", acousticKey = "", streetlightKey = "", environmentalKey = "";
    private Guid environmentalSensor;
    private Guid incident, hotlist, person, identity, plateReader;
    private readonly string imageRef = "hostile/" + Guid.NewGuid().ToString("N");

    /// <summary>The smallest thing the image endpoint takes: PNG's signature and the start of its header (checked by magic bytes).</summary>
    private static readonly string Png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    private string user = "";

    /// <summary>The things several valid requests only read: made once.</summary>
    public async Task ArrangeAsync()
    {
        (agency, feedKey) = await app.RegisterAgencyAsync("police");
        var (lat, lon) = Api.Place();
        (plateReader, plateReaderKey) = await app.RegisterReaderAsync(lat, lon);
        using (var reader = app.Client(plateReaderKey))
            (await reader.PutAsync($"api/v1/plates/images/{Uri.EscapeDataString(imageRef)}",
                new ByteArrayContent(Convert.FromBase64String(Png)) { Headers = { ContentType = new("image/png") } })).EnsureSuccessStatusCode();
        (_, gunshotKey) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, lat, lon);
        (_, acousticKey) = await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor, lat, lon);
        (environmentalSensor, environmentalKey) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, lat, lon);
        (_, streetlightKey) = await app.RegisterDeviceAsync(DeviceKinds.Streetlight, lat, lon, new { circuit = "C1", controllerId = "ctl-hostile", normalLevel = 60 });
        incident = await FreshIncidentAsync();
        hotlist = await app.CreateHotlistAsync();
        user = await app.CreateUserAsync(Roles.Officer);
        var sourceId = IntelApi.Unique("p");
        var pushed = await app.PushOkAsync(feedKey, IntelApi.Person(sourceId, "Ann", IntelApi.Unique("Hostile"), "1980-05-17"));
        person = IntelApi.PersonIdOf(pushed, sourceId);
        identity = await IdentityOfAsync(agency, sourceId);
        // The lighting decision of the incident is made in the background; its page answers 404 until then.
        using var admin = app.AdminClient();
        for (var i = 0; i < 100 && (await admin.GetAsync($"api/v1/lighting/incidents/{incident}")).StatusCode != HttpStatusCode.OK; i++)
            await Task.Delay(100);
    }

    /// <summary>
    /// Operations this test does not send, each with the reason: their valid request records video from a live RTSP camera, which this test
    /// does not start. <c>EvidenceClipTests</c> covers them with the real test camera. A gap, named so that it cannot grow silently.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotSent = new Dictionary<string, string>
    {
        ["POST /api/v1/video/incidents/{id}/cameras/{cameraId}/clips"] = "records a clip from a live camera (EvidenceClipTests)",
        ["GET /api/v1/video/clips/{clipId}"] = "needs a clip recorded from a live camera (EvidenceClipTests)",
    };

    /// <summary>A look-up an analyst asked without a case number: queued for a commander (the administrator here, who did not ask it).</summary>
    private async Task<Guid> PendingApprovalAsync()
    {
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var refused = await analyst.GetAsync($"api/v1/plates/search?offence={Stated.Offence}&purpose={Uri.EscapeDataString("hostile example " + Guid.NewGuid())}&plate={HotlistKit.Plate()}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        return (await refused.ReadJsonAsync())["approvalRequestId"]!.GetValue<Guid>();
    }

    public async Task<Example?> ForAsync(ApiOperation operation) =>
        Table().TryGetValue(operation.Key, out var example) ? await example() : null;

    private Dictionary<string, Func<Task<Example>>> Table() => new()
    {
        // ---- platform ----
        ["POST /api/v1/agencies/{agencyId}/api-keys"] = () => Ok(new Example(Path: Id("agencyId", agency))),
        ["POST /api/v1/devices"] = () =>
        {
            var (lat, lon) = Api.Place();
            return Ok(new Example(Body: Json(new { kind = "camera", latitude = lat, longitude = lon, elevationMeters = 6,
                settings = new { type = "fixed", headingDegrees = 90, fieldOfViewDegrees = 60, rangeMeters = 100 } })));
        },
        ["POST /api/v1/users"] = () => Ok(new Example(Body: Json(new { email = $"{IntelApi.Unique("new")}@safecities.test", role = Roles.Officer,
            district = "D7", agencyId = agency }))),
        ["GET /api/v1/users/{email}"] = () => Ok(new Example(Path: Id("email", user))),
        ["PUT /api/v1/users/{email}/roles"] = async () => new Example(Path: Id("email", await FreshUserAsync()), Body: Json(new { roles = new[] { Roles.Officer } })),
        ["POST /api/v1/users/{email}/password-reset"] = async () => new Example(Path: Id("email", await FreshUserAsync())),
        ["POST /api/v1/users/{email}/lock"] = async () => new Example(Path: Id("email", await FreshUserAsync())),
        ["POST /api/v1/users/{email}/unlock"] = async () => new Example(Path: Id("email", await FreshUserAsync())),
        ["POST /api/v1/users/{email}/mfa-reset"] = async () => new Example(Path: Id("email", await FreshUserAsync())),
        ["PUT /api/v1/users/{email}/agency"] = async () => new Example(Path: Id("email", await FreshUserAsync()), Body: Json(new { agencyId = agency })),
        ["PUT /api/v1/users/{email}/district"] = async () => new Example(Path: Id("email", await FreshUserAsync()), Body: Json(new { district = "D7" })),

        // ---- sensors ----
        ["POST /api/v1/sensors/gunshots"] = () =>
        {
            var (lat, lon) = Api.Place();
            return Ok(new Example(gunshotKey, Body: Json(new { externalId = Guid.NewGuid().ToString("N"), latitude = lat, longitude = lon, rounds = 2,
                source = "hostile input test" })));
        },
        ["POST /api/v1/sensors/readings"] = () => Ok(new Example(environmentalKey, Body: Json(new
        {
            readings = new[] { new { readingId = IntelApi.Unique("r"), at = DateTimeOffset.UtcNow.AddSeconds(-5), quantity = "pm2_5", value = 12.5, unit = "ug/m3" } },
        }))),
        ["GET /api/v1/sensors/rules"] = () => Ok(new Example()),
        ["GET /api/v1/transparency/reports/{year}"] = () => Ok(new Example(Path: Id("year", (DateTime.UtcNow.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))),
        ["GET /transparency/agency-reads/{day}"] = () => Ok(new Example(Path: Id("day", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))),
        ["GET /api/v1/sensors/environment"] = () => Ok(new Example()),
        ["GET /sensorthings/v1.1"] = () => Ok(new Example()),
        ["GET /sensorthings/v1.1/{path}"] = () => Ok(new Example(Path: Id("path", $"Things('{environmentalSensor}')"))),
        ["GET /api/v1/sensors/environment/{id}/series"] = () => Ok(new Example(Path: Id("id", environmentalSensor.ToString()),
            Query: new Dictionary<string, string> { ["range"] = "7d" })),
        ["POST /api/v1/sensors/rules"] = () => Ok(new Example(Body: Json(new
        {
            name = IntelApi.Unique("Rule"), quantity = "pm10", above = true, threshold = 300, clearLevel = 250, sustainedSeconds = 600, severity = "medium", enabled = false, changeWindowSeconds = (int?)null,
        }))),
        ["PUT /api/v1/sensors/rules/{id}"] = async () => new Example(Path: Id("id", await RuleAsync()), Body: Json(new
        {
            name = IntelApi.Unique("Rule"), quantity = "aqi", above = true, threshold = 151, clearLevel = 120, sustainedSeconds = 1800, severity = "high", enabled = false, changeWindowSeconds = (int?)null,
        })),
        ["POST /api/v1/sensors/pulses"] = () => Ok(new Example(acousticKey, Body: Json(new
        {
            pulses = new[] { new { pulseId = Guid.NewGuid().ToString("N"), arrivalTime = DateTimeOffset.UtcNow.AddSeconds(-30), snrDb = 20.5, powerDbSpl = 120.5 } },
        }))),

        // ---- lighting ----
        ["POST /api/v1/lighting/streetlights/import"] = () =>
        {
            var (lat, lon) = Api.Place();
            return Ok(new Example(Body: Json(new
            {
                header = "name,latitude,longitude,circuit,controllerId,normalLevel", firstLine = 2,
                lines = new[] { FormattableString.Invariant($"Hostile light {Guid.NewGuid():N},{lat:F5},{lon:F5},C9,ctl-{Guid.NewGuid():N},70") },
            })));
        },
        ["POST /api/v1/lighting/faults"] = () => Ok(new Example(streetlightKey, Body: Json(new
        {
            faults = new[] { new { kind = "lamp-failure", state = "active", at = DateTimeOffset.UtcNow.AddSeconds(-30) } },
        }))),
        ["PUT /api/v1/lighting/settings"] = () => SettingsAsync("api/v1/lighting/settings"),
        ["GET /api/v1/lighting/incidents/{id}"] = () => Ok(new Example(Path: Id("id", incident))),

        // ---- video ----
        ["GET /api/v1/video/incidents/{id}/cameras"] = () => Ok(new Example(Path: Id("id", incident))),
        ["PUT /api/v1/video/settings"] = () => SettingsAsync("api/v1/video/settings"),
        // The live relay needs a camera that streams: a real RTSP test camera, stopped when the test restores.
        ["GET /api/v1/cameras/{id}/live/index.m3u8"] = async () => new Example(Path: Id("id", await LiveCameraAsync()),
            Restore: async () => await (liveSource?.DisposeAsync() ?? ValueTask.CompletedTask)),
        ["GET /api/v1/cameras/{id}/live/{file}"] = async () =>
        {
            var camera = await LiveCameraAsync();
            using var admin = app.AdminClient();
            var playlist = await admin.GetStringAsync($"api/v1/cameras/{camera}/live/index.m3u8");
            var segment = playlist.Split('\n', StringSplitOptions.TrimEntries).Last(l => l.EndsWith(".ts", StringComparison.Ordinal));
            return new Example(Path: new Dictionary<string, string> { ["id"] = camera.ToString(), ["file"] = segment });
        },
        ["GET /api/v1/cameras/{id}/snapshot"] = async () => new Example(Path: Id("id", await LiveCameraAsync())),

        // ---- plates ----
        ["PUT /api/v1/plates/readers/status"] = () => Ok(new Example(plateReaderKey, Body: Json(new { fault = "lens obstructed" }))),
        ["POST /api/v1/plates/reads"] = () => Ok(new Example(plateReaderKey, Body: Json(new
        {
            reads = new[] { PlatesKit.Read(Guid.NewGuid().ToString("N"), HotlistKit.Plate(), DateTimeOffset.UtcNow.AddSeconds(-30)) },
        }))),
        ["GET /api/v1/plates/incidents/{incidentId}/reads"] = () => Ok(new Example(Path: Id("incidentId", incident))),
        ["POST /api/v1/plates/hotlists"] = () => Ok(new Example(Body: Json(new
        {
            name = $"Hostile list {Guid.NewGuid():N}"[..28], kind = "agency", alertLevel = "high", reason = "Stolen vehicles", owner = "Test PD",
            visibility = "all-staff", expiresAt = DateTimeOffset.UtcNow.AddDays(30),
        }))),
        ["GET /api/v1/plates/hotlists/{id}/entries"] = () => Ok(new Example(Path: Id("id", hotlist))),
        ["POST /api/v1/plates/hotlists/{id}/entries"] = async () => new Example(Path: Id("id", await app.CreateHotlistAsync()), Body: Json(new
        {
            plate = HotlistKit.Plate(), region = "DC", reason = "Stolen", reference = "NIC/V123456789", description = "blue Honda Civic",
            expiresAt = DateTimeOffset.UtcNow.AddDays(30),
        })),
        ["DELETE /api/v1/plates/hotlists/entries/{entryId}"] = async () =>
            new Example(Path: Id("entryId", (await app.AddEntryAsync(await app.CreateHotlistAsync(), HotlistKit.Plate()))["id"]!.GetValue<Guid>())),
        ["POST /api/v1/plates/hotlists/{id}/import"] = async () => new Example(Path: Id("id", await app.CreateHotlistAsync()),
            Raw: ($"plate,region,reason\n{HotlistKit.Plate()},DC,Stolen\n", "text/csv")),
        ["POST /api/v1/plates/hotlists/{id}/imports"] = () => Ok(new Example(Path: Id("id", hotlist))),
        ["POST /api/v1/plates/hotlists/imports/{importId}/lines"] = async () => new Example(Path: Id("importId", await StartImportAsync(staged: false)),
            Body: Json(new { header = "plate,region,reason", firstLine = 2, lines = new[] { $"{HotlistKit.Plate()},DC,Stolen" } })),
        ["POST /api/v1/plates/hotlists/imports/{importId}/commit"] = async () => new Example(Path: Id("importId", await StartImportAsync(staged: true))),
        ["POST /api/v1/plates/hits/{id}/release"] = async () => new Example(Path: Id("id", await FreshHitAsync())),
        ["POST /api/v1/plates/hits/{id}/decision"] = async () => new Example(Path: Id("id", await FreshHitAsync()),
            Body: Json(new { decision = "rejected", reason = "plate-misread", notes = "Picture shows another plate." })),
        ["GET /api/v1/plates/hits/statistics"] = () => Ok(new Example(Query: new Dictionary<string, string>
            { ["from"] = DateTimeOffset.UtcNow.AddDays(-60).ToString("O"), ["to"] = DateTimeOffset.UtcNow.ToString("O") })),
        ["GET /api/v1/plates/search"] = () => Ok(new Example(Query: new Dictionary<string, string>
            { ["caseNumber"] = Stated.CaseNumber, ["offence"] = Stated.Offence, ["purpose"] = Purpose, ["plate"] = HotlistKit.Plate() })),
        ["POST /api/v1/plates/colocation"] = () =>
        {
            var (lat, lon) = Api.Place();
            var now = DateTimeOffset.UtcNow;
            return Ok(new Example(Body: Json(new
            {
                incidents = new[] { new { latitude = lat, longitude = lon, occurredAt = now.AddHours(-2) }, new { latitude = lat + 0.01, longitude = lon, occurredAt = now.AddHours(-1) } },
                radiusMeters = 300, windowMinutes = 15, minIncidents = 2, purpose = Purpose, caseNumber = Stated.CaseNumber, offence = Stated.Offence,
                approvalId = (Guid?)null,   // the schema's sample names an approval that does not exist
            })));
        },

        // ---- purposes and approvals ----
        ["GET /api/v1/search-approvals/{id}"] = async () => new Example(Path: Id("id", await PendingApprovalAsync())),
        ["POST /api/v1/search-approvals/{id}/decision"] = async () => new Example(Path: Id("id", await PendingApprovalAsync()),
            Body: Json(new { approve = false, reason = "No case: open one first." })),

        // ---- intelligence ----
        ["POST /api/v1/intelligence/agencies"] = () => Ok(new Example(Body: Json(new { name = IntelApi.Unique("Hostile agency "), kind = "police", releaseHotlistDays = 30,
            sector = "public", state = "CA", functions = Array.Empty<string>(), partOfCity = false }))),
        ["PUT /api/v1/intelligence/agencies/{agencyId}/sharing-profile"] = async () => new Example(Path: Id("agencyId", (await app.RegisterAgencyAsync("court")).Id),
            Body: Json(new { sector = "public", state = "DC", functions = Array.Empty<string>(), partOfCity = false })),
        ["POST /api/v1/intelligence/sharing-rules"] = () => SharingRuleAsync(null),

        // ---- oversight (ADR 0052): cases are the oversight body's; costs of another technology and year than OversightRecordsTests' ----
        ["POST /api/v1/oversight/cases"] = async () => new Example(await OversightKeyAsync(), Body: OversightCase()),
        ["PUT /api/v1/oversight/cases/{id}"] = async () => new Example(await OversightKeyAsync(), Path: Id("id", await FreshOversightCaseAsync()), Body: OversightCase()),
        ["POST /api/v1/oversight/costs"] = () => Ok(new Example(Body: TechnologyCost())),
        ["PUT /api/v1/oversight/costs/{id}"] = async () => new Example(Path: Id("id", await FreshTechnologyCostAsync()), Body: TechnologyCost()),
        ["DELETE /api/v1/oversight/costs/{id}"] = async () => new Example(Path: Id("id", await FreshTechnologyCostAsync())),
        ["PUT /api/v1/intelligence/sharing-rules/{id}"] = async () => await SharingRuleAsync(await FreshSharingRuleAsync()),
        ["DELETE /api/v1/intelligence/sharing-rules/{id}"] = async () => new Example(Path: Id("id", await FreshSharingRuleAsync())),
        ["POST /api/v1/intelligence/sharing-agreements"] = async () =>
            new Example(Body: Json(new { fromAgencyId = (await app.RegisterAgencyAsync("jail")).Id, toAgencyId = (await app.RegisterAgencyAsync("police")).Id })),
        ["POST /api/v1/intelligence/records"] = () =>
        {
            var personSourceId = IntelApi.Unique("p");
            return Ok(new Example(feedKey, Body: Json(new
            {
                records = new object[]
                {
                    new
                    {
                        kind = "person", sourceId = personSourceId,
                        person = new { firstName = "Bea", lastName = IntelApi.Unique("Hostile"), middleName = "Q", aliases = new[] { "Bee" },
                            dateOfBirth = "1975-03-04", identifiers = new Dictionary<string, string> { ["ssn"] = "123-45-6789" }, address = "1 Main St", district = "D7" },
                    },
                    new
                    {
                        kind = "warrant", sourceId = IntelApi.Unique("w"), personSourceId, status = "active", caseNumber = "CR-2026-1", charges = new[] { "burglary" },
                        startedAt = DateTimeOffset.UtcNow.AddDays(-3), narrative = "Issued.\nTo be served.", latitude = 38.9, longitude = -77.0,
                    },
                },
            })));
        },
        ["POST /api/v1/intelligence/agencies/{agencyId}/records-csv"] = () => Ok(new Example(Path: Id("agencyId", agency), Body: Json(new
        {
            header = "kind,sourceId,firstName,lastName,dateOfBirth", firstLine = 2, lines = new[] { $"person,{IntelApi.Unique("c")},Cy,{IntelApi.Unique("Hostile")},1970-01-02" },
        }))),
        ["GET /api/v1/intelligence/analysis/near-repeat"] = () => Ok(new Example(Query: new Dictionary<string, string>
        {
            ["type"] = "gunshot", ["from"] = DateTimeOffset.UtcNow.AddDays(-30).ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["to"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["permutations"] = "19",
        })),
        ["GET /api/v1/intelligence/analysis/gunfire-reporting"] = () => Ok(new Example(Query: new Dictionary<string, string>
            { ["from"] = DateTimeOffset.UtcNow.AddDays(-30).ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["to"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture) })),
        ["GET /api/v1/intelligence/analysis/gunfire-reporting.csv"] = () => Ok(new Example(Query: new Dictionary<string, string>
            { ["from"] = DateTimeOffset.UtcNow.AddDays(-30).ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["to"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture) })),
        ["GET /api/v1/intelligence/analysis/trends"] = () => Ok(new Example(Query: new Dictionary<string, string> { ["weeks"] = "4" })),
        ["GET /api/v1/intelligence/search"] = () => Ok(new Example(Query: new Dictionary<string, string>
            { ["caseNumber"] = Stated.CaseNumber, ["offence"] = Stated.Offence, ["purpose"] = Purpose, ["name"] = "Ann" })),
        ["GET /api/v1/intelligence/persons/{id}"] = () => Ok(new Example(Path: Id("id", person), Query: new Dictionary<string, string>
            { ["caseNumber"] = Stated.CaseNumber, ["offence"] = Stated.Offence, ["purpose"] = Purpose })),
        ["POST /api/v1/intelligence/links/{identityId}/confirm"] = () => Ok(new Example(Path: Id("identityId", identity))),
        ["POST /api/v1/intelligence/links/{identityId}/split"] = async () => new Example(Path: Id("identityId", await SplittableIdentityAsync())),
        ["PUT /api/v1/intelligence/access-rules"] = AccessRuleAsync,
        ["POST /api/v1/intelligence/watchlist"] = () => Ok(new Example(Body: Json(new { name = "Hostile watch", plate = HotlistKit.Plate(), personId = (Guid?)null,
            criteria = (string?)null }))),
        ["DELETE /api/v1/intelligence/watchlist/{id}"] = async () => new Example(Path: Id("id", await FreshWatchAsync())),

        // ---- addresses, responders, plate images ----
        ["POST /api/v1/addresses/import"] = () => Ok(new Example(Body: Json(new
        {
            header = "number,street,latitude,longitude,place", firstLine = 2, lines = new[] { $"12,{IntelApi.Unique("Hostile")} St,38.9,-77.0," },
        }))),
        ["PUT /api/v1/districts"] = () => Ok(new Example(Body: Json(new
        {
            geoJson = new
            {
                type = "FeatureCollection",
                features = new[] { new { type = "Feature", properties = new { code = "H1", name = "Hostile" },
                    geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { 10.0, 10.0 }, [10.01, 10.0], [10.01, 10.01], [10.0, 10.0] } } } } },
            },
            codeProperty = "code", nameProperty = "name",
        }))),
        ["GET /api/v1/districts"] = () => Ok(new Example()),
        ["GET /api/v1/addresses/streets"] = () => Ok(new Example(Query: new Dictionary<string, string>
            { ["south"] = "38.89", ["west"] = "-77.01", ["north"] = "38.91", ["east"] = "-76.99" })),
        ["POST /api/v1/incidents/{id}/responders/me"] = async () => new Example(Path: Id("id", await FreshIncidentAsync()), Body: Json(new { status = "en-route" })),
        ["PUT /api/v1/plates/images/{imageRef}"] = () => Ok(new Example(ApiKey: plateReaderKey, Path: new Dictionary<string, string> { ["imageRef"] = Uri.EscapeDataString(imageRef) },
            Raw: (Png, "image/png"))),
        ["GET /api/v1/plates/images/{readerId}/{imageRef}"] = () => Ok(new Example(Path: new Dictionary<string, string>
        {
            ["readerId"] = plateReader.ToString(), ["imageRef"] = Uri.EscapeDataString(imageRef),
        })),

        // ---- devices (edit, key): a fresh device each, since the valid request renames it or changes its key ----
        ["PUT /api/v1/devices/{id}"] = async () => new Example(Path: Id("id", (await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor)).Id),
            Body: Json(new { name = "Renamed sensor", latitude = 38.9, longitude = -77.0 })),
        ["POST /api/v1/devices/{id}/key"] = async () => new Example(Path: Id("id", (await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor)).Id)),
        ["DELETE /api/v1/devices/{id}/key"] = async () => new Example(Path: Id("id", (await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor)).Id)),

        // ---- alerts ----
        ["GET /api/v1/incidents/{id}"] = () => Ok(new Example(Path: Id("id", incident))),
        ["POST /api/v1/incidents/{id}/acknowledge"] = async () => new Example(Path: Id("id", await FreshIncidentAsync())),
        ["POST /api/v1/incidents/{id}/close"] = async () => new Example(Path: Id("id", await FreshIncidentAsync()),
            Body: Json(new { outcome = "no-evidence", notes = "Nothing found." })),
        ["POST /api/v1/incidents/{id}/reopen"] = async () => new Example(Path: Id("id", await ClosedIncidentAsync()), Body: Json(new { notes = "Again." })),
        ["POST /api/v1/incidents/{id}/corrections"] = async () => new Example(Path: Id("id", await FreshIncidentAsync()),
            Body: Json(new { kind = "noise", reason = "Fireworks, not gunfire." })),
        ["GET /api/v1/incidents/precision"] = () => Ok(new Example(Query: new Dictionary<string, string>
            { ["from"] = DateTimeOffset.UtcNow.AddDays(-60).ToString("O"), ["to"] = DateTimeOffset.UtcNow.ToString("O") })),
        ["POST /api/v1/incidents/{id}/notes"] = () => Ok(new Example(Path: Id("id", incident), Body: Json(new { text = "A note." }))),
        ["GET /api/v1/incidents/{id}/record"] = () => Ok(new Example(Path: Id("id", incident))),
        ["GET /api/v1/incidents/history"] = () => Ok(new Example(Query: new Dictionary<string, string> { ["kind"] = "gunshot", ["outcome"] = "other" })),
        ["GET /api/v1/incidents/history.csv"] = () => Ok(new Example(Query: new Dictionary<string, string> { ["kind"] = "gunshot", ["outcome"] = "other" })),
        ["GET /api/v1/incidents/history.geojson"] = () => Ok(new Example(Query: new Dictionary<string, string> { ["kind"] = "gunshot", ["outcome"] = "other" })),
        ["PUT /api/v1/officers/me/position"] = () =>
        {
            var (lat, lon) = Api.Place();
            return Ok(new Example(Body: Json(new { latitude = lat, longitude = lon, accuracyMeters = 12.5 })));
        },
        // ---- public alerts (drafts by a commander's key; the admin key approves: two people) ----
        ["GET /api/v1/public-alerts/{id}"] = async () => new Example(Path: Id("id", (await PublicAlertAsync(issued: false))["id"]!)),
        ["POST /api/v1/public-alerts"] = () => Ok(new Example(Body: Json(new { content = PublicAlertsTests.Content("Hostile draft"), incidentId = incident }))),
        ["POST /api/v1/public-alerts/{id}/update"] = async () => new Example(Path: Id("id", (await PublicAlertAsync(issued: true))["id"]!),
            Body: Json(new { content = PublicAlertsTests.Content("Hostile update") })),
        ["POST /api/v1/public-alerts/{id}/approve"] = async () => new Example(Path: Id("id", (await PublicAlertAsync(issued: false))["id"]!)),
        ["POST /api/v1/public-alerts/{id}/discard"] = async () => new Example(Path: Id("id", (await PublicAlertAsync(issued: false))["id"]!)),
        ["POST /api/v1/public-alerts/{id}/cancel"] = async () => new Example(Path: Id("id", (await PublicAlertAsync(issued: true))["id"]!),
            Body: Json(new { reason = "Resolved." })),
        ["GET /cap/alerts/{identifier}.xml"] = async () => new Example(Path: Id("identifier", (await PublicAlertAsync(issued: true))["identifier"]!)),

        // ---- inbound CAP (a partner agency's feed key; a fresh identifier, so that the valid request creates and the variants repeat or are refused) ----
        ["POST /api/v1/alerts/cap"] = () => Ok(new Example(ApiKey: feedKey, Raw: (InboundCapKit.Message(InboundCapKit.Identifier()), "application/cap+xml"))),
        // ---- CAP feeds we poll (administrators; a fresh address each time, on the discard port, so a poll fails fast and is recorded) ----
        ["GET /api/v1/alerts/cap-feeds"] = () => Ok(new Example()),
        ["GET /api/v1/alerts/cap/current"] = () => Ok(new Example()),
        ["POST /api/v1/alerts/cap-feeds"] = () => Ok(new Example(Body: Json(new { name = "Hostile feed", url = DeadFeedUrl(), intervalSeconds = 300 }))),
        ["POST /api/v1/alerts/cap-feeds/{id}/poll"] = async () => new Example(Path: Id("id", await CapFeedAsync())),
        ["DELETE /api/v1/alerts/cap-feeds/{id}"] = async () => new Example(Path: Id("id", await CapFeedAsync())),

        // ---- citizen reports (Open311, anonymous; the form body is GeoReport v2's; lat and long last, so that half a body lacks them) ----
        ["POST /open311/v2/requests.json"] = () =>
        {
            var (lat, lon) = Api.Place();
            return Ok(new Example(Raw: (FormattableString.Invariant($"description=Hostile+test+report&service_code=other&lat={lat}&long={lon}"),
                "application/x-www-form-urlencoded")));
        },
        ["GET /open311/v2/services/{code}.json"] = () => Ok(new Example(Path: Id("code", "gunfire"))),
        ["GET /open311/v2/requests/{id}.json"] = async () =>
        {
            var (lat, lon) = Api.Place();
            return new Example(Path: Id("id", await app.SubmitOpen311Async(lat, lon)));
        },
    };

    private static Task<Example> Ok(Example example) => Task.FromResult(example);

    private static string DeadFeedUrl() => $"http://127.0.0.1:9/{Guid.NewGuid():N}.atom";

    private async Task<Guid> CapFeedAsync()
    {
        using var admin = app.AdminClient();
        var response = await admin.PostAsJsonAsync("api/v1/alerts/cap-feeds", new { name = "Hostile feed", url = DeadFeedUrl() });
        return (await response.ReadJsonAsync())["id"]!.GetValue<Guid>();
    }

    private static Dictionary<string, string> Id(string name, object value) => new() { [name] = value.ToString()! };

    /// <summary>A merge patch over the schema's sample (a null in it removes the sample's value: the field is then absent).</summary>
    private static JsonNode Json(object value) => JsonSerializer.SerializeToNode(value, Api.Json)!;

    /// <summary>Module settings: the valid request writes them back as they are; whatever an accepted variant changed is restored at the end.</summary>
    private async Task<Example> SettingsAsync(string path)
    {
        using var admin = app.AdminClient();
        var current = await (await admin.GetAsync(path)).ReadJsonAsync();
        return new Example(Body: current, Restore: async () =>
        {
            using var again = app.AdminClient();
            var restored = await again.PutAsync(path, new StringContent(current.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.True(restored.IsSuccessStatusCode, $"restoring {path}: {(int)restored.StatusCode}");
        });
    }

    /// <summary>A new incident whose background reactions (Lighting, Video, Plates reporting on its timeline) are done, so that they do not
    /// write while its hostile variants run.</summary>
    /// <summary>
    /// A rule for a fresh agency. A variant that drops the agency (null) sets a default rule every other test's analysts would then
    /// see by: afterwards each changed default is put back, each new one removed.
    /// </summary>
    private async Task<Example> AccessRuleAsync()
    {
        var before = await RulesAsync();
        var body = Json(new { role = Roles.Analyst, recordKind = "warrant", access = "summary", scope = "all", includeSealed = false,
            agencyId = (await app.RegisterAgencyAsync("court")).Id });
        return new Example(Body: body, Restore: async () =>
        {
            using var admin = app.AdminClient();
            foreach (var (key, rule) in (await RulesAsync()).Where(r => r.Key.Agency is null && before.GetValueOrDefault(r.Key)?.ToJsonString() != r.Value.ToJsonString()))
            {
                var put = await admin.PutAsJsonAsync("api/v1/intelligence/access-rules", before.TryGetValue(key, out var original)
                    ? original
                    : JsonNode.Parse($$"""{"role":"{{key.Role}}","recordKind":"{{key.Kind}}","access":"none","scope":"all"}"""));
                Assert.True(put.IsSuccessStatusCode, $"restoring the access rule {key}: {(int)put.StatusCode}");
            }
        });
    }

    private async Task<Dictionary<(string Role, string Kind, string? Agency), JsonNode>> RulesAsync()
    {
        using var admin = app.AdminClient();
        var rules = (await (await admin.GetAsync("api/v1/intelligence/access-rules")).ReadJsonAsync()).AsArray();
        return rules.ToDictionary(r => (r!["role"]!.GetValue<string>(), r["recordKind"]!.GetValue<string>(), r["agencyId"]?.GetValue<string>()), r => r!);
    }

    private RtspTestCamera? liveSource;
    private Guid liveCamera;

    private async Task<Guid> LiveCameraAsync()
    {
        if (liveSource is null)
        {
            liveSource = await RtspTestCamera.StartAsync();
            var (lat, lon) = Api.Place();
            liveCamera = (await app.RegisterDeviceAsync(DeviceKinds.Camera, lat, lon, new { type = "fixed", streamUrl = liveSource.Url })).Id;
        }
        return liveCamera;
    }

    private async Task<Guid> ClosedIncidentAsync()
    {
        var id = await FreshIncidentAsync();
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "other" })).StatusCode);
        return id;
    }

    /// <summary>A disabled threshold rule to change (through the API, like an administrator).</summary>
    private async Task<Guid> RuleAsync()
    {
        using var admin = app.AdminClient();
        var response = await admin.PostAsJsonAsync("api/v1/sensors/rules", new
        {
            name = IntelApi.Unique("Rule"), quantity = "noise_laeq", above = true, threshold = 90, clearLevel = 80, sustainedSeconds = 60, severity = "low", enabled = false,
        });
        return (await response.ReadJsonAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<Guid> FreshIncidentAsync()
    {
        var (lat, lon) = Api.Place();
        using var feed = app.Client(gunshotKey);
        var response = await feed.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        var (entries, steady) = (-1L, 0);
        for (var i = 0; i < 100 && steady < 4; i++)
        {
            await Task.Delay(100);
            var now = await app.CountAsync($"SELECT count(*) FROM alerts.timeline WHERE incident_id = '{id}'");
            (entries, steady) = (now, now == entries ? steady + 1 : 0);
        }
        return id;
    }

    private Task<string> FreshUserAsync() => app.CreateUserAsync(Roles.Officer);

    /// <summary>A public alert drafted by a commander (not the admin key, which approves: the two-person rule), issued when asked.</summary>
    private async Task<JsonNode> PublicAlertAsync(bool issued)
    {
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var drafted = await commander.PostAsJsonAsync("api/v1/public-alerts", new { content = PublicAlertsTests.Content("Hostile " + Guid.NewGuid().ToString("N")[..6]) });
        Assert.Equal(HttpStatusCode.Created, drafted.StatusCode);
        var draft = await drafted.ReadJsonAsync();
        if (!issued)
            return draft;
        using var admin = app.AdminClient();
        var approved = await admin.PostAsync($"api/v1/public-alerts/{draft["id"]}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        return await approved.ReadJsonAsync();
    }

    private async Task<Guid> StartImportAsync(bool staged)
    {
        var list = await app.CreateHotlistAsync();
        using var admin = app.AdminClient();
        var started = await admin.PostAsync($"api/v1/plates/hotlists/{list}/imports", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.ReadJsonAsync())["importId"]!.GetValue<Guid>();
        if (staged)
        {
            var chunk = await admin.PostAsJsonAsync($"api/v1/plates/hotlists/imports/{id}/lines",
                new { header = "plate,region", firstLine = 2, lines = new[] { $"{HotlistKit.Plate()},DC" } });
            Assert.Equal(HttpStatusCode.OK, chunk.StatusCode);
        }
        return id;
    }

    /// <summary>A hit of a fresh list on a fresh read (the read comes after the listing, so ingestion matches it).</summary>
    private async Task<Guid> FreshHitAsync()
    {
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(await app.CreateHotlistAsync(), plate);
        await app.SendReadsAsync(plateReaderKey, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow.AddSeconds(-20)));
        for (var i = 0; i < 50; i++)
        {
            if (await app.HitsAsync(plate) is [var hit, ..])
                return hit!["id"]!.GetValue<Guid>();
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"no hit for {plate}");
    }

    /// <summary>
    /// A disabled rule that would deny only immigration enforcement agencies (which no other test's analysts work for). A variant that enables it or
    /// changes what it restricts could block other tests' searches: afterwards every rule made since is removed.
    /// </summary>
    private async Task<Example> SharingRuleAsync(Guid? id)
    {
        using var admin = app.AdminClient();
        var before = (await (await admin.GetAsync("api/v1/intelligence/sharing-rules")).ReadJsonAsync()).AsArray().Select(r => r!["id"]!.GetValue<Guid>())
            .Where(r => r != id).ToHashSet();
        return new Example(Path: id is { } rule ? Id("id", rule) : null, Body: SharingRuleBody(), Restore: async () =>
        {
            using var again = app.AdminClient();
            foreach (var rule in (await (await again.GetAsync("api/v1/intelligence/sharing-rules")).ReadJsonAsync()).AsArray().Select(r => r!["id"]!.GetValue<Guid>()))
                if (!before.Contains(rule))
                    Assert.True((await again.DeleteAsync($"api/v1/intelligence/sharing-rules/{rule}")).IsSuccessStatusCode, $"removing sharing rule {rule}");
        });
    }

    private static JsonNode SharingRuleBody() => Json(new
    {
        name = IntelApi.Unique("Hostile rule "), dataClass = "plates", allowedSectors = Array.Empty<string>(), allowedStates = Array.Empty<string>(),
        deniedFunctions = new[] { "immigration-enforcement" }, citation = "hostile", enabled = false,
    });

    private string oversightKey = "";

    private async Task<string> OversightKeyAsync() => oversightKey.Length > 0 ? oversightKey : oversightKey = await app.CreateClientKeyAsync(Roles.Oversight);

    private static JsonNode OversightCase() =>
        Json(new { technology = "environmental", kind = "complaint", receivedOn = "2023-05-05", summary = "hostile input test", status = "open",
            finding = (string?)null, action = (string?)null, actionNotes = (string?)null });

    private static JsonNode TechnologyCost() =>
        Json(new { technology = "environmental", year = 2023, category = "maintenance", amount = 10.5m, fundingSource = IntelApi.Unique("Hostile fund ") });

    private async Task<Guid> FreshOversightCaseAsync()
    {
        using var client = app.Client(await OversightKeyAsync());
        var created = await client.PostAsJsonAsync("api/v1/oversight/cases", OversightCase());
        created.EnsureSuccessStatusCode();
        return (await created.ReadJsonAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<Guid> FreshTechnologyCostAsync()
    {
        using var admin = app.AdminClient();
        var created = await admin.PostAsJsonAsync("api/v1/oversight/costs", TechnologyCost());
        created.EnsureSuccessStatusCode();
        return (await created.ReadJsonAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<Guid> FreshSharingRuleAsync()
    {
        using var admin = app.AdminClient();
        var added = await admin.PostAsJsonAsync("api/v1/intelligence/sharing-rules", SharingRuleBody());
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        return (await added.ReadJsonAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<Guid> FreshWatchAsync()
    {
        using var admin = app.AdminClient();
        var added = await admin.PostAsJsonAsync("api/v1/intelligence/watchlist", new { name = "Hostile watch", plate = HotlistKit.Plate() });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        return (await added.ReadJsonAsync())["id"]!.GetValue<Guid>();
    }

    /// <summary>A person two agencies told about (same name and date of birth: linked into one person), one of whose records can be split off.</summary>
    private async Task<Guid> SplittableIdentityAsync()
    {
        var (otherAgency, otherFeed) = await app.RegisterAgencyAsync("jail");
        var last = IntelApi.Unique("Split");
        var (first, second) = (IntelApi.Unique("a"), IntelApi.Unique("b"));
        await app.PushOkAsync(feedKey, IntelApi.Person(first, "Dee", last, "1966-06-06"));
        await app.PushOkAsync(otherFeed, IntelApi.Person(second, "Dee", last, "1966-06-06"));
        return await IdentityOfAsync(otherAgency, second);
    }

    private async Task<Guid> IdentityOfAsync(Guid ofAgency, string sourceId)
    {
        await using var db = new NpgsqlConnection(app.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM intelligence.person_identities WHERE agency_id = @a AND source_id = @s", db);
        command.Parameters.AddWithValue("a", ofAgency);
        command.Parameters.AddWithValue("s", sourceId);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}
