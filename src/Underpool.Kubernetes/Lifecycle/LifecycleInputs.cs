using Underpool.Kubernetes.Nodes;
using Underpool.Kubernetes.Pods;

namespace Underpool.Kubernetes.Lifecycle;

/// <summary>One endpoint the store holds addresses for, as the lifecycle rules need it (the agent groups its
/// allocation records by endpoint: static ones by name, others by pod uid).</summary>
/// <param name="Running">A static endpoint with a container attached now (<c>RuntimeContainerId</c> set); always true
/// for a non-static one.</param>
/// <param name="CreatedAt">When the addresses were taken: an ADD younger than the in-flight grace may be for a pod the
/// watch has not shown yet, so it is left alone.</param>
internal sealed record HeldEndpoint(
    string Namespace,
    string PodName,
    string? PodUid,
    bool Static,
    string? OwnerKind,
    string? OwnerName,
    bool Running,
    DateTimeOffset CreatedAt)
{
    public string PodKey => KubernetesNames.Key(Namespace, PodName);
}

/// <summary>What the rules keep of a StatefulSet.</summary>
/// <param name="Keep">Annotated <c>underpool.io/keep: "true"</c>: its static addresses outlive it.</param>
internal sealed record StatefulSetInfo(string Namespace, string Name, string Uid, int Replicas, bool Keep)
{
    public string Key => KubernetesNames.Key(Namespace, Name);
}

/// <summary>What the rules keep of a Deployment: its replicas and its <c>underpool.io/</c> annotations.</summary>
internal sealed record DeploymentInfo(string Namespace, string Name, string Uid, int Replicas, IReadOnlyDictionary<string, string> Annotations)
{
    public string Key => KubernetesNames.Key(Namespace, Name);
}

/// <summary>An application pool the store has (the agent maps its <c>PoolSpec</c>s with <c>App</c> set).</summary>
internal sealed record AppPoolState(string Name, string App, string Parent, int Size, bool Keep);

/// <summary>Everything one round of lifecycle decisions reads, taken at one moment. Deleted objects are the last
/// state the watch saw of objects deleted since (tombstones, from the caches' change events): only they say whether
/// a deleted StatefulSet was to keep its addresses or a deleted Deployment its pool.</summary>
internal sealed record LifecycleSnapshot
{
    public required DateTimeOffset Now { get; init; }

    public IReadOnlyList<HeldEndpoint> Held { get; init; } = [];

    public IReadOnlyDictionary<string, PodInfo> Pods { get; init; } = new Dictionary<string, PodInfo>();

    public IReadOnlyDictionary<string, NodeInfo> Nodes { get; init; } = new Dictionary<string, NodeInfo>();

    public IReadOnlyDictionary<string, StatefulSetInfo> StatefulSets { get; init; } = new Dictionary<string, StatefulSetInfo>();

    public IReadOnlyDictionary<string, StatefulSetInfo> DeletedStatefulSets { get; init; } = new Dictionary<string, StatefulSetInfo>();

    public IReadOnlyDictionary<string, DeploymentInfo> Deployments { get; init; } = new Dictionary<string, DeploymentInfo>();

    public IReadOnlyDictionary<string, DeploymentInfo> DeletedDeployments { get; init; } = new Dictionary<string, DeploymentInfo>();

    public IReadOnlyList<AppPoolState> AppPools { get; init; } = [];
}

/// <summary>The times the rules wait.</summary>
/// <param name="TerminatingReleaseDelay">After a terminating pod's deletionTimestamp (the end of its grace period) on a
/// NotReady node.</param>
/// <param name="InFlightGrace">How young a holding may be and still be left alone when no pod matches it.</param>
internal sealed record LifecycleSettings(TimeSpan TerminatingReleaseDelay, TimeSpan InFlightGrace)
{
    public static LifecycleSettings Default { get; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));
}
