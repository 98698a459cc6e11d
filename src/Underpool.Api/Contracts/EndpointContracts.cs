namespace Underpool.Api.Contracts;

/// <summary>One workload instance and what it holds: `underpoolctl endpoint list|show`.</summary>
public sealed class EndpointView
{
    /// <summary>"namespace/name" (or the name alone, or the container id when the runtime gave no name).</summary>
    public required string Name { get; init; }

    /// <summary>Keeps its addresses across DEL; released only explicitly.</summary>
    public required bool Static { get; init; }

    /// <summary>A container holds the addresses now (always true for a non-static endpoint).</summary>
    public required bool Running { get; init; }

    public string? ContainerId { get; init; }

    public string? PodUid { get; init; }

    public required string Node { get; init; }

    public string? NetNs { get; init; }

    public string? OwnerKind { get; init; }

    public string? OwnerName { get; init; }

    public IReadOnlyList<EndpointInterface> Interfaces { get; init => field = value ?? []; } = [];
}

/// <summary>One network attachment of an endpoint: its addresses on one interface of one network.</summary>
public sealed class EndpointInterface
{
    public required string Network { get; init; }

    public required string IfName { get; init; }

    public IReadOnlyList<EndpointAddress> Addresses { get; init => field = value ?? []; } = [];
}

public sealed class EndpointAddress
{
    public required string Pool { get; init; }

    public required string Address { get; init; }
}

public sealed class EndpointList
{
    public IReadOnlyList<EndpointView> Endpoints { get; init => field = value ?? []; } = [];
}

/// <summary>Which endpoints to release: one by name, or an owner's (all of them when it was deleted, those with an
/// ordinal at or above <see cref="Replicas"/> when it was scaled down).</summary>
public sealed class EndpointReleaseRequest
{
    public string? Name { get; init; }

    public string? OwnerKind { get; init; }

    public string? OwnerName { get; init; }

    /// <summary>The owner's namespace; null matches endpoints without one (podman) or, with an owner, any.</summary>
    public string? Namespace { get; init; }

    public int? Replicas { get; init; }
}

public sealed class EndpointReleaseResponse
{
    public IReadOnlyList<AllocationView> Released { get; init => field = value ?? []; } = [];
}
