using System.Net.Http.Headers;
using SafeCities.Benchmarks.Nodes;

namespace SafeCities.Tests.Nodes;

/// <summary>
/// Two app processes (Hangfire servers on) behind nginx, sharing a fresh database and a Redis of their own, started once for
/// <see cref="TwoNodeTests"/>; logs in .testresults (node-1.log, node-2.log, nginx-error.log, redis.log).
/// </summary>
public sealed class TwoNodesFixture : IAsyncLifetime
{
    internal NodeCluster Cluster { get; private set; } = null!;
    internal AppProcess A => Cluster.Nodes[0];
    internal AppProcess B => Cluster.Nodes[1];

    public async Task InitializeAsync() => Cluster = await NodeCluster.StartAsync(2, Chromium.ResultsDirectory, AppFixture.DemoPassword);

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }

    /// <summary>A client of one node (or of nginx); give two clients one cookie container to carry a sign-in from node to node.</summary>
    public static HttpClient Client(Uri baseAddress, string? apiKey = null, CookieContainer? cookies = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() })
            { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (apiKey is not null)
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
