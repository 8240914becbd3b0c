using SafeCities.Modules.Shared.Geo;
using SafeCities.Tests.Integration.Plates;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>
/// A person whose car was read near gunfire, with a call for service near other gunfire; they are on parole under the demo probation officer.
/// <list type="bullet">
/// <item><see cref="Tied"/>: a reader 120 m away read the car 2 minutes before the shot (inside the arming window: Plates ties the read).</item>
/// <item><see cref="Near"/>: a reader 300 m away read the car 20 minutes before the shot (outside the window, within ±30 min: near, not tied).</item>
/// <item><see cref="Called"/>: a call for service about the person 80 m from the shot, 10 minutes after it.</item>
/// </list>
/// </summary>
internal sealed record SightedPerson(Guid Id, string Last, string Plate, Guid Tied, Guid Near, Guid Called)
{
    public const string Probation = "probation@safecities.test";

    public static async Task<SightedPerson> CreateAsync(AppFixture app)
    {
        var (_, police) = await app.RegisterAgencyAsync("police");
        var (_, parole) = await app.RegisterAgencyAsync("parole-probation");
        // Nobody else's near-duplicate (entity resolution would join them): a random surname and date of birth.
        var last = Unique("Q");
        var born = new DateOnly(1950, 1, 1).AddDays(Random.Shared.Next(0, 365 * 50)).ToString("yyyy-MM-dd");
        var plate = "S" + Unique("")[..6].ToUpperInvariant();
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var (tiedLat, tiedLon) = Api.Place();
        var (_, tiedReader) = await app.RegisterReaderAsync(tiedLat, tiedLon, 120, 0);
        await app.SendReadsAsync(tiedReader, PlatesKit.Read($"{plate}-1", plate, now.AddMinutes(-7)));
        var tied = await app.ReportGunshotAsync(tiedLat, tiedLon, now.AddMinutes(-5));

        var (nearLat, nearLon) = Api.Place();
        var (_, nearReader) = await app.RegisterReaderAsync(nearLat, nearLon, 300, 90);
        await app.SendReadsAsync(nearReader, PlatesKit.Read($"{plate}-2", plate, now.AddMinutes(-21)));
        var near = await app.ReportGunshotAsync(nearLat, nearLon, now.AddMinutes(-1));

        var (calledLat, calledLon) = Api.Place();
        var called = await app.ReportGunshotAsync(calledLat, calledLon, now.AddMinutes(-40));
        var (callLat, callLon) = GeoMath.Offset(calledLat, calledLon, 80, 180);

        var id = PersonIdOf(await app.PushOkAsync(police, Person("P", "Sam", last, born),
            new { kind = "vehicle", sourceId = "V", personSourceId = "P", vehicle = new { plate, region = "DC", make = "Honda", model = "Civic" } },
            new { kind = "call-for-service", sourceId = "CFS", personSourceId = "P", startedAt = now.AddMinutes(-30), callType = "disturbance",
                latitude = callLat, longitude = callLon, address = "near the shots" }), "P");
        await app.PushOkAsync(parole, Person("P", "Sam", last, born),
            new { kind = "supervision", sourceId = "S", personSourceId = "P", startedAt = "2025-01-01T00:00:00Z", supervisingOfficer = Probation, status = "parole" });
        await app.WaitForTimelineAsync(tied, "IncidentReadsCaptured");
        await app.WaitForTimelineAsync(near, "PlateReadersArmed");
        return new SightedPerson(id, last, plate, tied, near, called);
    }
}
