using Underpool.Store.Documents;

namespace Underpool.Store.Etcd;

/// <summary>One allocation as JSON: flat, addresses and instants as <see cref="StoredText"/>, readable with etcdctl.</summary>
internal sealed class AllocationDocument
{
    public required string Pool { get; init; }

    public required long PoolGeneration { get; init; }

    public required string Address { get; init; }

    public required string Network { get; init; }

    public required string ContainerId { get; init; }

    public required string IfName { get; init; }

    public required string Node { get; init; }

    public string? NetNs { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodName { get; init; }

    public string? PodUid { get; init; }

    public required string CreatedAt { get; init; }

    /// <summary>True for a static endpoint's record; absent (null) otherwise, so ordinary records stay short.</summary>
    public bool? Static { get; init; }

    public string? RuntimeContainerId { get; init; }

    public string? OwnerKind { get; init; }

    public string? OwnerName { get; init; }

    /// <summary>The interface's MAC once the runtime reported it; absent until then.</summary>
    public string? Mac { get; init; }
}
