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
    /// <summary>The app's MQTT endpoint (0: off unless asked for).</summary>
    public int MqttPort { get; }
    private readonly ScratchDatabase database;

    private BenchHost(ScratchDatabase database, int mqttPort)
    {
        this.database = database;
        MqttPort = mqttPort;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Whether every session commits with <c>synchronous_commit=on</c> (the dev cluster's default is off).</summary>
    public bool Durable { get; private init; }

    /// <param name="mqtt">Whether the app listens for MQTT (on a free local port).</param>
    /// <param name="durable">Whether the app's (and <see cref="ConnectionString"/>'s) sessions commit with <c>synchronous_commit=on</c>.</param>
    public static async Task<BenchHost> StartAsync(bool mqtt = false, bool durable = false)
    {
        var host = new BenchHost(await ScratchDatabase.CreateAsync("safecities_bench"), mqtt ? FreePort() : 0) { Durable = durable };
        host.StartServer();
        host.BaseAddress = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return host;
    }

    public string ConnectionString => Durable ? database.ConnectionString + ";Options=-c synchronous_commit=on" : database.ConnectionString;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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
        builder.UseSetting("Security:SecureCookies", "false");  // plain HTTP on loopback: the session cookie must travel without TLS
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Mqtt:Port", MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DisposeAsync();
    }
}
