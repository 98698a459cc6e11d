using Underpool.Core.Net;

namespace Underpool.Store;

/// <summary>One address in one pool held by one container interface.</summary>
/// <remarks>The owner fields travel with every allocation so that a reader never meets an address without
/// an owner (crash safety and garbage collection rely on it).</remarks>
public sealed record AllocationRecord
{
    public required string Pool { get; init; }

    /// <summary>The <see cref="Core.Pools.PoolSpec.Generation"/> of the pool the address was picked from;
    /// <see cref="IIpamStore.TryCommitAsync"/> refuses the commit when the pool is no longer that generation.</summary>
    public required long PoolGeneration { get; init; }

    public required IpAddress Address { get; init; }

    public required AttachmentKey Attachment { get; init; }

    /// <summary>The node whose agent made the allocation.</summary>
    public required string Node { get; init; }

    /// <summary>The network namespace path the runtime gave (CNI_NETNS), when it gave one.</summary>
    public string? NetNs { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodName { get; init; }

    public string? PodUid { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>A static endpoint's address: DEL keeps it, and the endpoint gets it back when it comes back under the
    /// same name (new container, any eligible node). Its <see cref="Attachment"/> is keyed by the endpoint's name, not
    /// by a container (see <see cref="RuntimeContainerId"/>).</summary>
    public bool Static { get; init; }

    /// <summary>For a static record: the container the runtime attached last, or null while the endpoint is not
    /// running. For other records the attachment's container id is the runtime's and this stays null.</summary>
    public string? RuntimeContainerId { get; init; }

    /// <summary>The workload that owns the endpoint (e.g. kind "StatefulSet", name "web"), when known.</summary>
    public string? OwnerKind { get; init; }

    public string? OwnerName { get; init; }

    /// <summary>The MAC of the container interface holding the address (lower-case "aa:bb:cc:dd:ee:ff"), once the
    /// runtime has reported it (CNI CHECK's prevResult); null until then. Lets a conflict probe that this interface
    /// answers be recognised as one of ours.</summary>
    public string? Mac { get; init; }
}
