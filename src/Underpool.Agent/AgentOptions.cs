namespace Underpool.Agent;

/// <summary>Everything the agent is told at start; validated once by <see cref="AgentOptionsParser"/>.</summary>
public sealed record AgentOptions
{
    public string Socket { get; init; } = Api.Contracts.ApiRoutes.DefaultSocket;

    /// <summary>Start even when the socket's directory (or one above it) can be written by another user, who could then
    /// replace the socket and answer the plugin in the agent's place. Off: such a start is refused.</summary>
    public bool AllowInsecureSocketDir { get; init; }

    /// <summary>Connections the socket holds at once; past it new ones are closed at once (the plugin says "try again").</summary>
    public int MaxConnections { get; init; } = 512;

    /// <summary>A connection with no request (or no complete request headers) for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

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

    /// <summary>How long an ADD or DEL keeps retrying a store that is unavailable (an etcd leader election takes a
    /// second or two) before answering "try again later" (CNI 11); well inside the plugin's 30 s.</summary>
    public TimeSpan StoreRetryBudget { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times an ADD re-picks after its candidates were taken by another agent.</summary>
    public int MaxCommitAttempts { get; init; } = 32;

    /// <summary>Probe candidates for conflicts in pools that do not say (a pool's own probe setting wins).</summary>
    public bool Probe { get; init; } = true;

    /// <summary>Probe rounds and the wait after each; see <see cref="Underpool.Probe.ProbeSettings"/> for the trade-off.</summary>
    public Underpool.Probe.ProbeSettings ProbeSettings { get; init; } = Underpool.Probe.ProbeSettings.Default;

    /// <summary>The uplink interface when an ADD's netconf names no master; null: only probe where a master is named.</summary>
    public string? Uplink { get; init; }

    /// <summary>The network namespace the uplink lives in (e.g. /var/run/netns/NODE); null: the agent's own.</summary>
    public string? UplinkNetns { get; init; }

    /// <summary>How many conflicting candidates one ADD replaces before it gives up.</summary>
    public int MaxConflictsPerAdd { get; init; } = 8;

    /// <summary>How often quarantined addresses this node found are probed again and freed once quiet.</summary>
    public TimeSpan QuarantineRecheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the liveness sweep looks for this node's allocations whose network namespace is gone;
    /// <see cref="TimeSpan.Zero"/> turns the loop off (POST /v1/gc/run still sweeps on request).</summary>
    public TimeSpan GcInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>An allocation younger than this is never swept: its ADD may still be in flight (a runtime may create
    /// the namespace file only after IPAM answers, or hand IPAM a path it fills in later).</summary>
    public TimeSpan GcGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node must have been seen dead (its heartbeat lease expired) before the elected agent releases
    /// its non-static allocations; zero turns the reaper off.</summary>
    public TimeSpan NodeDeadAfter { get; init; } = TimeSpan.FromMinutes(5);
}
