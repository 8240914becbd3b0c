using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace SafeCities.Web.Platform.Nodes;

/// <summary>
/// What lets several app processes act as one behind a load balancer (README, "Two nodes"; docs/adr/0010-two-nodes.md): one Data
/// Protection key ring in PostgreSQL, so a sign-in cookie or antiforgery token issued by one node is valid on every other; and,
/// when <c>ConnectionStrings:Redis</c> is set, Redis as the SignalR backplane, so a hub message sent on one node reaches the clients
/// connected to any node. Caches are kept coherent by <c>CacheInvalidation</c> (PostgreSQL LISTEN/NOTIFY), which needs no setting.
/// </summary>
internal static class NodesSetup
{
    public const string RedisConnectionStringName = "Redis";
    public const string ApplicationName = "SafeCities";

    public static WebApplicationBuilder AddSafeCitiesNodes(this WebApplicationBuilder builder)
    {
        // The keys live in platform.data_protection_keys (never in the repository or on a node's disk; PlatformModule keeps them there),
        // and the application name is fixed: by default it is derived from the content root, so two nodes installed in different folders
        // could not read each other's cookies. At rest the key XML is not encrypted: access to the database is access to the keys.
        builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName);

        var redis = builder.Configuration.GetConnectionString(RedisConnectionStringName);
        if (!string.IsNullOrWhiteSpace(redis))
            builder.Services.AddSignalR().AddStackExchangeRedis(redis, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal("safecities");
                o.Configuration.AbortOnConnectFail = false;     // a node starts (and serves its own clients) while Redis is down
            });
        return builder;
    }
}
