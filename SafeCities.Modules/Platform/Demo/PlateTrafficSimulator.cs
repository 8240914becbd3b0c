using Bogus;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Demo;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// Demo city only (<c>Demo:Simulator:Enabled</c>): traffic past the plate readers — a fleet of local vehicles that pass often, and a
/// few strangers — through the same command a real reader's batch goes through, so incidents get "vehicles seen"; two of the local
/// vehicles are listed as stolen, so hotlist hits happen too.
/// </summary>
internal sealed class PlateTrafficSimulator(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PlateTrafficSimulator> logger)
    : DemoSimulator(scopes, clock, logger)
{
    private static readonly (string Make, string Model)[] CommonVehicles =
    [
        ("Toyota", "Camry"), ("Toyota", "Corolla"), ("Honda", "Civic"), ("Honda", "Accord"), ("Ford", "F-150"), ("Ford", "Explorer"),
        ("Chevrolet", "Silverado"), ("Chevrolet", "Malibu"), ("Nissan", "Altima"), ("Hyundai", "Elantra"), ("Jeep", "Grand Cherokee"),
        ("Dodge", "Charger"), ("Kia", "Optima"), ("Subaru", "Outback"), ("Tesla", "Model 3"),
    ];
    private static readonly string[] CommonColors = ["black", "white", "silver", "grey", "blue", "red", "green", "beige"];
    private readonly Faker faker = new("en_US") { Random = new Randomizer(7) };
    private List<(string Plate, string Make, string Model, string Color)> fleet = [];

    protected override TimeSpan FirstDelay => TimeSpan.FromSeconds(10);

    /// <summary>The local fleet; two of its vehicles go on a demo stolen-vehicle list (once, when the list is new), so hits happen every few minutes.</summary>
    protected override async Task PrepareAsync(ISender sender, CancellationToken ct)
    {
        const string name = "Stolen vehicles (demo)";
        fleet = LocalFleet();
        if ((await sender.Send(new ListHotlistsQuery(), ct)).Any(h => h.Name == name))
            return;
        var list = await sender.Send(new CreateHotlistCommand(name, "agency", "high", "Reported stolen", "MPD 7th District", "all-staff", null, "demo"), ct);
        foreach (var (plate, make, model, color) in fleet.Take(2))
            await sender.Send(new AddHotlistEntryCommand(list.Id, plate, "DC", "Reported stolen", null, $"{color} {make} {model}", null, "demo"), ct);
    }

    protected override async Task TickAsync(ISender sender, CancellationToken ct)
    {
        foreach (var reader in await sender.Send(new ListPlateReadersQuery(), ct))
        {
            var reads = Enumerable.Range(0, faker.Random.Int(0, 2)).Select(_ =>
            {
                var (plate, make, model, color) = faker.Random.Bool(0.9f) ? faker.PickRandom(fleet) : Vehicle();
                var readId = Guid.NewGuid().ToString("N");
                return new IncomingPlateReadDto(readId, plate, "DC", Clock.GetUtcNow().AddSeconds(-faker.Random.Int(0, 4)),
                    Math.Round(faker.Random.Double(0.72, 0.99), 2), make, model, color, $"demo-{readId}.png");
            }).ToList();
            if (reads.Count > 0)
            {
                await sender.Send(new IngestPlateReadsCommand(reader.Id, reads), ct);
                // and each read's picture, as a reader uploads it after the read (PUT /api/v1/plates/images/{imageRef})
                foreach (var read in reads)
                    await sender.Send(new StorePlateImageCommand(reader.Id, read.ImageRef, DemoPlateImage.Png(read.Plate!)), ct);
            }
        }
    }

    /// <summary>The local fleet (fixed seed): the demo's partner records own some of these vehicles, so their sightings show on person pages.</summary>
    internal static List<(string Plate, string Make, string Model, string Color)> LocalFleet()
    {
        var f = new Faker("en_US") { Random = new Randomizer(7) };
        return Enumerable.Range(0, 300).Select(_ => Vehicle(f)).ToList();
    }

    private (string, string, string, string) Vehicle() => Vehicle(faker);

    private static (string Plate, string Make, string Model, string Color) Vehicle(Faker f)
    {
        var (make, model) = f.PickRandom(CommonVehicles);
        return (f.Random.Replace("???####").ToUpperInvariant(), make, model, f.PickRandom(CommonColors));
    }
}
