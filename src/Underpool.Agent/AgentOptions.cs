namespace Underpool.Agent;

/// <summary>Everything the agent is told at start; validated once by <see cref="AgentOptionsParser"/>.</summary>
public sealed record AgentOptions
{
    public string Socket { get; init; } = Api.Contracts.ApiRoutes.DefaultSocket;

    /// <summary>This node's name: allocations record it and pool affinity is checked against it.</summary>
    public required string Node { get; init; }

    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>"embedded" (SQLite) for now; etcd and kubernetes come later.</summary>
    public string Store { get; init; } = "embedded";

    public string DataDir { get; init; } = "/var/lib/underpool";

    /// <summary>"json" (structured, one object per line) or "text".</summary>
    public string LogFormat { get; init; } = "json";

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
}
