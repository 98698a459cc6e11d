namespace Underpool.Kubernetes.Pods;

/// <summary>The lifecycle phase of a pod (<c>status.phase</c>).</summary>
internal enum PodPhase
{
    Unknown,
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// <summary>A reference from an object to its owner (<c>metadata.ownerReferences</c>, the one with controller=true).</summary>
internal sealed record OwnerReference(string ApiVersion, string Kind, string Name, string? Uid);

/// <summary>The little the agent keeps of a pod: who it is, where, its phase and deletion, its controller, and only
/// its <c>underpool.io/</c> annotations (others, such as kubectl's last-applied-configuration, can be kilobytes each
/// and the agent never reads them).</summary>
internal sealed record PodInfo
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required string Uid { get; init; }

    public string? NodeName { get; init; }

    public PodPhase Phase { get; init; }

    /// <summary>When the pod was asked to stop (<c>metadata.deletionTimestamp</c>): it is terminating.</summary>
    public DateTimeOffset? DeletionTimestamp { get; init; }

    /// <summary><c>metadata.deletionGracePeriodSeconds</c>: deletionTimestamp is already the end of the grace period,
    /// but this says how long it was.</summary>
    public long? DeletionGracePeriodSeconds { get; init; }

    public OwnerReference? Controller { get; init; }

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = Empty;

    public string Key => KubernetesNames.Key(Namespace, Name);

    /// <summary>Succeeded or Failed: its containers will not run again, so its addresses may go.</summary>
    public bool IsFinished => Phase is PodPhase.Succeeded or PodPhase.Failed;

    internal static IReadOnlyDictionary<string, string> Empty { get; } = new Dictionary<string, string>();
}
