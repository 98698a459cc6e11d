using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Underpool.Agent.Hosting;

/// <summary>What the agent's HTTP server accepts: its one unix socket, a bounded number of connections, none idle for
/// long. Clients (the plugin, underpoolctl) send one request per connection at once, so an idle connection is a client
/// that hung or one that holds a file descriptor on purpose; without these limits 2,000 idle connections stayed open
/// for good.</summary>
internal static class ServerLimits
{
    public static void Apply(KestrelServerOptions kestrel, AgentOptions options)
    {
        kestrel.Listen(new AgentSocketEndPoint(options.Socket));

        // The largest request is a pool definition or a GC list of attachments: a few KiB to a few hundred.
        kestrel.Limits.MaxRequestBodySize = AgentHost.MaxRequestBodyBytes;

        // Past the cap a new connection is closed at once: the plugin reports "try again later" (CNI 11) and the
        // runtime retries, which is better than the agent running out of file descriptors for its store.
        kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;

        // Idle before the first request, between requests, and while request headers trickle in (slowloris).
        kestrel.Limits.KeepAliveTimeout = options.IdleTimeout;
        kestrel.Limits.RequestHeadersTimeout = options.IdleTimeout;
    }
}
