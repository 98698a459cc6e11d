namespace Underpool.Store;

/// <summary>A node an agent registered: its labels and whether its agent is alive as far as the store knows.</summary>
/// <param name="Name">The node name the agent runs as (what allocations record).</param>
/// <param name="Labels">The labels pool affinity is matched against.</param>
/// <param name="Alive">True while the agent's last heartbeat is within the time to live it asked for.</param>
/// <param name="LastSeen">When the store last heard from the agent, when the backend knows (a lease-based backend
/// knows only when the lease was granted).</param>
public sealed record NodeRecord(string Name, IReadOnlyDictionary<string, string> Labels, bool Alive, DateTimeOffset? LastSeen)
{
    /// <summary>The MACs of the uplinks the node's agent probes on (lower-case "aa:bb:cc:dd:ee:ff", sorted): another
    /// agent that sees one of them answer or probe knows it is this node, not a foreign host. Empty for a node whose
    /// agent has not probed yet, or that registered before agents recorded them.</summary>
    public IReadOnlyList<string> UplinkMacs { get; init; } = [];
}
