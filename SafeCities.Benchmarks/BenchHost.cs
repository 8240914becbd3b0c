using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SafeCities.Benchmarks.Nodes;

namespace SafeCities.Benchmarks;

/// <summary>
/// The real application on Kestrel, in this process, against a throw-away database on the local cluster (dropped afterwards).
/// The soak benchmark runs real app processes instead (<see cref="NodeCluster"/>).
/// </summary>
internal sealed class BenchHost : WebApplicationFactory<Program>
{
    public const string Password = "Bench-password-123";
    public string AdminKey { get; } = "bench-admin-" + Guid.NewGuid().ToString("N");
    public Uri BaseAddress { get; private set; } = null!;
    private readonly ScratchDatabase database;

    private BenchHost(ScratchDatabase database)
    {
        this.database = database;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public static async Task<BenchHost> StartAsync()
    {
        var host = new BenchHost(await ScratchDatabase.CreateAsync("safecities_bench"));
        host.StartServer();
        host.BaseAddress = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return host;
    }

    public string ConnectionString => database.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        builder.UseStaticWebAssets();
        builder.UseSetting("ConnectionStrings:SafeCities", ConnectionString);
        builder.UseSetting("Bootstrap:AdminApiKey", AdminKey);
        builder.UseSetting("Demo:SeedUsers", "true");
        builder.UseSetting("Demo:UserPassword", Password);
        builder.UseSetting("Hangfire:ServerEnabled", "false");
        builder.UseSetting("Map:TileUrl", "");
        builder.UseSetting("Security:Mfa:Required", "false");   // benchmark users sign in with a password only
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DisposeAsync();
    }
}
