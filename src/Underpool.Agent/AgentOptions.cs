namespace Underpool.Agent;

/// <summary>Everything the agent is told at start; validated once by <see cref="AgentOptionsParser"/>.</summary>
public sealed record AgentOptions
{
    public string Socket { get; init; } = Api.Contracts.ApiRoutes.DefaultSocket;

    /// <summary>This node's name: allocations record it and pool affinity is checked against it.</summary>
    public required string Node { get; init; }

    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the store counts this node alive after a heartbeat; the agent beats every third of it.</summary>
    public TimeSpan NodeTtl { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>"embedded" (SQLite on this host) or "etcd" (a cluster shared by every node).</summary>
    public string Store { get; init; } = "embedded";

    /// <summary>The etcd client URLs (http://host:port or https://...), when <see cref="Store"/> is "etcd".</summary>
    public IReadOnlyList<string> EtcdEndpoints { get; init; } = [];

    /// <summary>The key prefix all of Underpool's etcd keys live under (several clusters may share one etcd).</summary>
    public string EtcdPrefix { get; init; } = "/underpool";

    /// <summary>TLS for etcd: a client certificate and its key (both or neither), and the CA that signed etcd's
    /// server certificate (https endpoints without it trust the system's CAs).</summary>
    public string? EtcdCertFile { get; init; }

    public string? EtcdKeyFile { get; init; }

    public string? EtcdCaFile { get; init; }

    /// <summary>The deadline of every store call: past it the plugin gets "try again later" (CNI 11), never a hang.</summary>
    public TimeSpan StoreTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public string DataDir { get; init; } = "/var/lib/underpool";

    /// <summary>"json" (structured, one object per line) or "text".</summary>
    public string LogFormat { get; init; } = "json";

    /// <summary>How many times an ADD re-picks after its candidates were taken by another agent.</summary>
    public int MaxCommitAttempts { get; init; } = 32;
}
