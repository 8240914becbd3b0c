namespace SafeCities.Tests.Nodes;

/// <summary>
/// Tests that run the app as child processes (SafeCities.Benchmarks/Nodes: AppProcess, RedisServer, NginxBalancer, NodeCluster) and
/// kill them. They time restarts and cross-node delivery, so they run alone, after the parallel part of the suite.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NodesCollection
{
    public const string Name = "nodes";
}
