namespace SafeCities.Benchmarks.Nodes;

/// <summary>
/// SafeCities as it runs on several machines, on this one: a fresh database, a Redis (the SignalR backplane), N app processes with
/// their Hangfire servers on, and nginx in front, all on free loopback ports. Nodes start one after another (each healthy before the
/// next), as a rolling start does. Disposing stops everything and drops the database; the logs stay in the log folder.
/// </summary>
internal sealed class NodeCluster : IAsyncDisposable
{
    private readonly List<AppProcess> nodes = [];
    private readonly string workDirectory;
    private readonly string logDirectory;

    private NodeCluster(ScratchDatabase database, string adminKey, string workDirectory, string logDirectory)
    {
        Database = database;
        AdminKey = adminKey;
        this.workDirectory = workDirectory;
        this.logDirectory = logDirectory;
    }

    public ScratchDatabase Database { get; }
    public string AdminKey { get; }
    public RedisServer? Redis { get; private set; }

    /// <summary>The Redis the nodes use as their SignalR backplane (host:port), or null when there is none.</summary>
    public string? RedisConfiguration { get; private set; }
    public NginxBalancer? Balancer { get; private set; }
    public IReadOnlyList<AppProcess> Nodes => nodes;

    /// <summary>nginx when there is one, else the only node.</summary>
    public Uri BaseAddress => Balancer?.BaseAddress ?? nodes[0].BaseAddress;

    /// <summary>The settings of one node: the shared database and Redis, demo people with this password, no demo data or simulators.</summary>
    public static Dictionary<string, string?> NodeSettings(string connectionString, string adminKey, string password, string? redis) => new()
    {
        ["ConnectionStrings:SafeCities"] = connectionString,
        ["ConnectionStrings:Redis"] = redis ?? "",
        ["Bootstrap:AdminApiKey"] = adminKey,
        ["Demo:Enabled"] = "false",
        ["Demo:SeedUsers"] = "true",
        ["Demo:UserPassword"] = password,
        ["Demo:Simulator:Enabled"] = "false",
        ["Hangfire:ServerEnabled"] = "true",
        ["Map:TileUrl"] = "",
    };

    /// <param name="redis">An existing Redis (host:port) to use; null starts one of its own when there is more than one node.</param>
    /// <param name="balancer">nginx in front (always when there is more than one node).</param>
    public static async Task<NodeCluster> StartAsync(int nodeCount, string logDirectory, string password, IReadOnlyDictionary<string, string?>? extra = null,
        string? redis = null, bool balancer = true, TimeSpan? healthyWithin = null)
    {
        var work = Path.Combine(Path.GetTempPath(), $"safecities-nodes-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var cluster = new NodeCluster(await ScratchDatabase.CreateAsync("safecities_nodes"), $"nodes-admin-{Guid.NewGuid():N}", work, logDirectory);
        try
        {
            if (redis is null && nodeCount > 1)
            {
                cluster.Redis = await RedisServer.StartAsync(Path.Combine(work, "redis"));
                redis = cluster.Redis.Configuration;
            }
            cluster.RedisConfiguration = redis;
            var settings = NodeSettings(cluster.Database.ConnectionString, cluster.AdminKey, password, redis);
            foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
                settings[key] = value;
            for (var n = 1; n <= nodeCount; n++)
            {
                var node = AppProcess.Start($"node-{n}", settings, logDirectory);
                cluster.nodes.Add(node);
                await node.WaitHealthyAsync(healthyWithin ?? TimeSpan.FromSeconds(90));
            }
            if (balancer || nodeCount > 1)
                cluster.Balancer = await NginxBalancer.StartAsync(cluster.nodes.Select(n => n.Port), Path.Combine(work, "nginx"));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a killed or stopped node again on its port (nginx sends it requests again once it answers).</summary>
    public async Task<TimeSpan> RestartAsync(int index, TimeSpan healthyWithin)
    {
        nodes[index] = nodes[index].StartAgain();
        return await nodes[index].WaitHealthyAsync(healthyWithin);
    }

    public async ValueTask DisposeAsync()
    {
        if (Balancer is not null)
            await Balancer.DisposeAsync();
        foreach (var node in nodes)
            await node.DisposeAsync();
        if (Redis is not null)
            await Redis.DisposeAsync();
        await Database.DisposeAsync();
        foreach (var (from, to) in new[] { ("nginx/error.log", "nginx-error.log"), ("redis/redis.log", "redis.log") })
            if (File.Exists(Path.Combine(workDirectory, from)))
                File.Copy(Path.Combine(workDirectory, from), Path.Combine(logDirectory, to), overwrite: true);
        Directory.Delete(workDirectory, recursive: true);
    }
}
