using System.Security.Claims;
using Bogus;
using Microsoft.AspNetCore.Identity;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// The demo city's partner records, so the Intelligence pages show something out of the box: the demo analyst works for the Metropolitan
/// Police Department, which the jail, the supervision agency and the court share with (sharing agreements); the Federal Bureau of Prisons
/// does not, so some searches say that records are withheld. A few people are known to several agencies (linked automatically, to be
/// confirmed or split on their page), with cases whose numbers join incident reports, warrants and court cases in the link graph, and
/// vehicles from the simulated local traffic (so their plate sightings appear). One person has an active warrant, so their car is on
/// the "Intelligence requests" hotlist. Fixed seed: every newcomer sees the same records.
/// </summary>
internal sealed class DemoIntelligence(ISender sender, UserManager<IdentityUser> users, TimeProvider clock, ILogger<DemoIntelligence> logger)
{
    private const string Actor = "demo-city";
    public const string AnalystEmail = "analyst@safecities.test";
    public const string ProbationEmail = "probation@safecities.test";

    /// <summary>Seeds the records of <paramref name="agencies"/> (by kind) and gives <paramref name="analystEmail"/> (when that user exists) the police agency.</summary>
    public async Task SeedAsync(IReadOnlyDictionary<string, AgencyDto> agencies, string analystEmail, string probationEmail, CancellationToken ct)
    {
        var police = agencies[AgencyKinds.Police];
        foreach (var kind in new[] { AgencyKinds.Jail, AgencyKinds.Supervision, AgencyKinds.Court })
            await sender.Send(new AddSharingAgreementCommand(agencies[kind].Id, police.Id, Actor), ct);
        if (await users.FindByEmailAsync(analystEmail) is { } analyst && !(await users.GetClaimsAsync(analyst)).Any(c => c.Type == Policies.AgencyIdClaim))
            await users.AddClaimAsync(analyst, new Claim(Policies.AgencyIdClaim, police.Id.ToString()));

        var now = clock.GetUtcNow();
        DateTimeOffset DaysAgo(double days) => now.AddDays(-days);
        var fleet = PlateTrafficSimulator.LocalFleet();
        var (lat, lon) = (DemoCitySeeder.CenterLat, DemoCitySeeder.CenterLon);
        static RecordInput P(string id, string first, string last, string dob, string? address = null, Dictionary<string, string>? identifiers = null,
            string[]? aliases = null) =>
            new(RecordKinds.Person, id, Person: new PersonInput(first, last, Aliases: aliases, DateOfBirth: DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture),
                Identifiers: identifiers, Address: address, District: address is null ? null : "7"));
        RecordInput Car(string id, string person, int fleetIndex) =>
            new(RecordKinds.Vehicle, id, person, Vehicle: new VehicleInput(fleet[fleetIndex].Plate, "DC", fleet[fleetIndex].Make, fleet[fleetIndex].Model,
                fleet[fleetIndex].Color));
        RecordInput Call(string id, string person, string type, double days, double dLat, double dLon, string address, string? caseNumber, string narrative) =>
            new(RecordKinds.CallForService, id, person, StartedAt: DaysAgo(days), CallType: type, Latitude: lat + dLat, Longitude: lon + dLon, Address: address,
                CaseNumber: caseNumber, Narrative: narrative);

        var f = new Faker("en_US") { Random = new Randomizer(2027) };
        var filler = Enumerable.Range(0, 18).Select(i => (Id: $"P-{2000 + i}", First: f.Name.FirstName(), Last: f.Name.LastName(),
            Dob: f.Date.Between(new DateTime(1960, 1, 1), new DateTime(2004, 12, 31)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Street: f.Address.StreetAddress())).ToList();

        await IngestAsync(police, [
            P("P-1001", "Darnell", "Whitaker", "1991-04-12", "3100 Martin Luther King Jr Ave SE", new() { ["dc-dl"] = "DL4471902" }, ["D-Whit"]),
            Car("V-1001", "P-1001", 10),
            Call("CFS-26-11873", "P-1001", "shots fired", 20, 0.002, -0.001, "3200 block of 13th St SE", "2026-CF2-004417",
                "Caller heard four shots; a dark sedan left eastbound. Witness named Darnell Whitaker as the driver."),
            P("P-1002", "Tanya", "Brooks", "1987-09-30", "1400 Congress Pl SE"),
            Car("V-1002", "P-1002", 11),
            Call("CFS-26-12010", "P-1002", "burglary", 9, -0.003, 0.004, "1500 block of Alabama Ave SE", "2026-CF1-000981",
                "Rear door forced; television and a laptop taken. Neighbour saw a woman matching Tanya Brooks carrying boxes."),
            P("P-1003", "Marcus", "Reed", "1979-01-22", "2800 Douglass Rd SE"),
            new(RecordKinds.Vehicle, "V-1003", "P-1003", Vehicle: new VehicleInput("DMR4471", "DC", "Dodge", "Charger", "black")),
            Call("CFS-26-09544", "P-1003", "armed robbery", 34, 0.004, 0.002, "Good Hope Rd SE & 14th St SE", "2026-CF3-000210",
                "Store clerk robbed at gunpoint; suspect left in a black Dodge Charger, plate starting DMR."),
            P("P-1004", "Kevin", "Ortiz", "1995-06-03", "600 Atlantic St SE"),
            Call("CFS-26-12200", "P-1004", "assault", 4, -0.001, -0.003, "600 block of Atlantic St SE", null, "Fight outside a corner store; one man treated for cuts."),
            .. filler.SelectMany((p, i) => new[]
            {
                P(p.Id, p.First, p.Last, p.Dob, p.Street),
                Call($"CFS-26-{13000 + i}", p.Id, f.PickRandom("disorderly conduct", "theft", "vandalism", "noise complaint", "assault"), f.Random.Double(1, 60),
                    f.Random.Double(-0.01, 0.01), f.Random.Double(-0.012, 0.012), f.Address.StreetAddress(), null, f.Lorem.Sentence(12)),
            }),
        ], ct);
        await IngestAsync(agencies[AgencyKinds.Court], [
            P("C-5531", "Darnel", "Whitaker", "1991-04-12", identifiers: new() { ["dc-dl"] = "DL4471902" }),
            new(RecordKinds.CourtCase, "2026-CF2-004417", "C-5531", StartedAt: DaysAgo(15), Status: "pending", CaseNumber: "2026-CF2-004417",
                Charges: ["assault with a dangerous weapon", "carrying a pistol without a licence"], ViolentOffence: true),
            new(RecordKinds.Warrant, "W-26-118", "C-5531", StartedAt: DaysAgo(16), Status: WarrantStatus.Served, CaseNumber: "2026-CF2-004417"),
            P("C-6120", "Marcus", "Reed", "1979-01-22"),
            new(RecordKinds.CourtCase, "2026-CF3-000210", "C-6120", StartedAt: DaysAgo(30), Status: "indicted", CaseNumber: "2026-CF3-000210",
                Charges: ["armed robbery"], ViolentOffence: true),
            new(RecordKinds.Warrant, "W-26-131", "C-6120", StartedAt: DaysAgo(29), Status: WarrantStatus.Active, CaseNumber: "2026-CF3-000210"),
            P("C-4402", "Tanya", "Brooks", "1987-09-30"),
            new(RecordKinds.CourtCase, "2026-CF1-000981", "C-4402", StartedAt: DaysAgo(6), Status: "arraignment set", CaseNumber: "2026-CF1-000981",
                Charges: ["burglary II"]),
        ], ct);
        await IngestAsync(agencies[AgencyKinds.Jail], [
            P("J-88812", "Darnell", "Whitaker", "1991-04-12"),
            new(RecordKinds.Booking, "BK-25-3310", "J-88812", StartedAt: DaysAgo(400), EndedAt: DaysAgo(300), Facility: "Central Detention Facility",
                Charges: ["possession with intent to distribute"]),
            P("J-90117", "Kevin", "Ortiz", "1995-06-03"),
            new(RecordKinds.Booking, "BK-24-1102", "J-90117", StartedAt: DaysAgo(700), EndedAt: DaysAgo(640), Facility: "Central Detention Facility", Charges: ["theft I"]),
            new(RecordKinds.Booking, "BK-25-7781", "J-90117", StartedAt: DaysAgo(200), EndedAt: DaysAgo(120), Facility: "Central Detention Facility", Charges: ["assault"]),
        ], ct);
        await IngestAsync(agencies[AgencyKinds.Supervision], [
            P("S-3390", "Tanya", "Brooks", "1987-09-30"),
            new(RecordKinds.Supervision, "SUP-3390", "S-3390", StartedAt: DaysAgo(180), Status: "probation", SupervisingOfficer: probationEmail,
                Conditions: "curfew 22:00–06:00; stay away from the 1500 block of Alabama Ave SE"),
        ], ct);
        // Not shared with the police: the analyst's searches for these people say that records are withheld.
        await IngestAsync(agencies[AgencyKinds.Prison], [
            P("BOP-44107", "Darnell", "Whitaker", "1991-04-12"),
            new(RecordKinds.Booking, "BOP-BK-2019-88", "BOP-44107", StartedAt: DaysAgo(2600), EndedAt: DaysAgo(1900), Facility: "FCI Cumberland", Charges: ["firearm offence"]),
            P("BOP-51230", "Leon", "Marsh", "1983-11-08"),
            new(RecordKinds.Booking, "BOP-BK-2021-12", "BOP-51230", StartedAt: DaysAgo(1500), EndedAt: DaysAgo(90), Facility: "USP Hazelton", Charges: ["bank robbery"]),
        ], ct);
        logger.LogInformation("Demo intelligence seeded: {Persons} people across five agencies; {Analyst} works for {Police}", filler.Count + 5, analystEmail, police.Name);
    }

    /// <summary>
    /// Sharing rules at work (ADR 0041): the police once agreed to share with a private towing contractor; California's SB 34 (seeded by the
    /// migration, disabled) is switched on here to show a rule — the agreement is then listed as blocked on /Admin/Sharing. The police is part of
    /// the city, so its own plate data is not "shared" with it.
    /// </summary>
    public async Task SeedSharingRulesAsync(AgencyDto police, CancellationToken ct)
    {
        var contractor = await sender.Send(new RegisterAgencyCommand("Capital Towing & Recovery LLC (demo)", AgencyKinds.Police, Sector: AgencySectors.Private, State: "DC"), ct);
        await sender.Send(new AddSharingAgreementCommand(police.Id, contractor.Id, Actor), ct);
        if ((await sender.Send(new ListSharingRulesQuery(), ct)).FirstOrDefault(r => r.Name == "California SB 34") is { } sb34)
            await sender.Send(new SaveSharingRuleCommand(sb34.Id, sb34.Name, sb34.DataClass, sb34.AllowedSectors, sb34.AllowedStates, sb34.DeniedFunctions,
                sb34.Citation, true, Actor), ct);
    }

    private async Task IngestAsync(AgencyDto agency, IReadOnlyList<RecordInput> records, CancellationToken ct) =>
        await sender.Send(new IngestRecordsCommand(agency.Id, Actor, records), ct);
}
