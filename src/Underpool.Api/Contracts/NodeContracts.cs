namespace Underpool.Api.Contracts;

/// <summary>One registered node as `underpoolctl node list` shows it.</summary>
public sealed class NodeView
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init => field = value ?? new Dictionary<string, string>(); } =
        new Dictionary<string, string>();

    /// <summary>Whether the node's agent heartbeat is current (its lease is alive on etcd).</summary>
    public required bool Alive { get; init; }

    /// <summary>When the store last heard from the node's agent, when the store knows.</summary>
    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>Addresses allocated on the node.</summary>
    public required long Allocations { get; init; }

    /// <summary>The MACs of the uplinks the node's agent probes from: a probe or answer from one of them is this node's,
    /// never a foreign host's (empty until the agent has probed).</summary>
    public IReadOnlyList<string> UplinkMacs { get; init => field = value ?? []; } = [];
}

public sealed class NodeList
{
    public IReadOnlyList<NodeView> Nodes { get; init => field = value ?? []; } = [];
}

/// <summary>What `underpoolctl node forget NAME` released: the node's non-static addresses.</summary>
public sealed class NodeForgetResponse
{
    public required string Node { get; init; }

    public IReadOnlyList<AllocationView> Released { get; init => field = value ?? []; } = [];

    /// <summary>Addresses of static endpoints on the node: kept (they follow their endpoint to another node).</summary>
    public int KeptStatic { get; init; }
}
