namespace Underpool.Api.Contracts;

// Optional lists and objects default to empty in their init accessors, not only in their initializers: the source
// generator assigns every init-only property of a type with required members, passing null for one the JSON left out.

// The plugin's calls to the agent: one request/response pair per CNI verb. Addresses travel as text so the
// plugin (NativeAOT, tiny) needs no domain types.

/// <summary>Pool names per family, tried in order; empty lists mean the family's default pools.</summary>
public sealed class PoolChoice
{
    public IReadOnlyList<string> Ipv4 { get; init => field = value ?? []; } = [];

    public IReadOnlyList<string> Ipv6 { get; init => field = value ?? []; } = [];
}

/// <summary>Who is asking: the CNI attachment plus the Kubernetes identity when the runtime sent one.</summary>
public sealed class AttachmentIdentity
{
    /// <summary>The CNI network name (netconf "name"): allocations are unique per network, container and interface.</summary>
    public required string Network { get; init; }

    public required string ContainerId { get; init; }

    public required string IfName { get; init; }

    public string? NetNs { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodName { get; init; }

    public string? PodUid { get; init; }
}

public sealed class CniAddRequest
{
    public required AttachmentIdentity Attachment { get; init; }

    public PoolChoice Pools { get; init => field = value ?? new(); } = new();

    /// <summary>The main plugin's uplink (netconf <c>master</c>): where the agent probes candidates for conflicts.</summary>
    public string? Uplink { get; init; }

    /// <summary>Every CNI_ARGS pair, for options later issues read (IP=, UNDERPOOL_STATIC=...).</summary>
    public IReadOnlyDictionary<string, string> Args { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>Addresses the runtime asked for (runtimeConfig.ips, CNI_ARGS IP=), as it wrote them: "10.0.0.5/24" or
    /// "10.0.0.5"; at most one per family.</summary>
    public IReadOnlyList<string> RequestedIps { get; init => field = value ?? []; } = [];

    /// <summary>The network config marks its endpoints static (ipam.static).</summary>
    public bool Static { get; init; }
}

/// <summary>One address handed out, in CNI result terms.</summary>
public sealed class AssignedAddress
{
    /// <summary>"10.0.0.5/24": the address with the pool subnet's prefix length.</summary>
    public required string Address { get; init; }

    public string? Gateway { get; init; }

    public required string Pool { get; init; }

    /// <summary>"ipv4" or "ipv6".</summary>
    public required string Family { get; init; }

    public int? Vlan { get; init; }
}

public sealed class AssignedRoute
{
    public required string Dst { get; init; }

    public string? Gw { get; init; }
}

public sealed class CniAddResponse
{
    public required IReadOnlyList<AssignedAddress> Ips { get; init; }

    public IReadOnlyList<AssignedRoute> Routes { get; init => field = value ?? []; } = [];
}

public sealed class CniDelRequest
{
    public required AttachmentIdentity Attachment { get; init; }
}

public sealed class CniDelResponse
{
    /// <summary>What was released; empty when the attachment was unknown (DEL is idempotent).</summary>
    public IReadOnlyList<AssignedAddress> Released { get; init => field = value ?? []; } = [];
}

public sealed class CniCheckRequest
{
    public required AttachmentIdentity Attachment { get; init; }

    /// <summary>The container interface's MAC as the runtime's prevResult reports it ("aa:bb:cc:dd:ee:ff"), when it
    /// does: the agent records it on the attachment's allocations, so a probe this interface answers is known as one
    /// of ours. Anything but an Ethernet MAC is ignored.</summary>
    public string? Mac { get; init; }
}

public sealed class CniCheckResponse
{
    /// <summary>What the attachment holds now; the plugin compares it with the runtime's prevResult.</summary>
    public required IReadOnlyList<AssignedAddress> Ips { get; init; }
}

public sealed class AttachmentRef
{
    public required string ContainerId { get; init; }

    public required string IfName { get; init; }
}

public sealed class CniGcRequest
{
    public required string Network { get; init; }

    /// <summary>Attachments the runtime still uses; every other allocation of the network on this node is released.</summary>
    public IReadOnlyList<AttachmentRef> ValidAttachments { get; init => field = value ?? []; } = [];
}

public sealed class CniGcResponse
{
    public IReadOnlyList<AllocationView> Released { get; init => field = value ?? []; } = [];
}

public sealed class AgentStatus
{
    public required bool Ready { get; init; }

    public required string Node { get; init; }

    public required string Store { get; init; }

    public required string Version { get; init; }

    /// <summary>Why the agent is not ready, when it is not.</summary>
    public string? Reason { get; init; }
}
