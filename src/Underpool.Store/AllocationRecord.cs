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
}
