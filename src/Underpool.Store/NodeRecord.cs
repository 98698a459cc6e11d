namespace Underpool.Store;

/// <summary>A node an agent registered: its labels and whether its agent is alive as far as the store knows.</summary>
/// <param name="Name">The node name the agent runs as (what allocations record).</param>
/// <param name="Labels">The labels pool affinity is matched against.</param>
/// <param name="Alive">True while the agent's last heartbeat is within the time to live it asked for.</param>
/// <param name="LastSeen">When the store last heard from the agent, when the backend knows (a lease-based backend
/// knows only when the lease was granted).</param>
public sealed record NodeRecord(string Name, IReadOnlyDictionary<string, string> Labels, bool Alive, DateTimeOffset? LastSeen);
