using Underpool.Kubernetes.Pods;

namespace Underpool.Kubernetes.Owners;

/// <summary>Reads a ReplicaSet's controller: the one API lookup owner resolution needs.</summary>
internal interface IReplicaSetOwners
{
    /// <summary>The controller of ReplicaSet <paramref name="namespace"/>/<paramref name="name"/> (null when it has
    /// none or is gone). Throws <see cref="Api.KubernetesUnavailableException"/> when the API cannot answer in time.</summary>
    Task<OwnerReference?> ControllerOfAsync(string @namespace, string name, string? uid, TimeSpan deadline, CancellationToken cancellationToken);
}

/// <summary>A pod's workload owner: <see cref="OwnerRules"/> plus the ReplicaSet lookup a Deployment's pod needs.</summary>
internal sealed class OwnerResolver
{
    private readonly IReplicaSetOwners _replicaSets;

    public OwnerResolver(IReplicaSetOwners replicaSets) => _replicaSets = replicaSets;

    public async Task<WorkloadOwner?> ResolveAsync(PodInfo pod, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!OwnerRules.NeedsReplicaSet(pod.Controller))
        {
            return OwnerRules.Direct(pod.Controller);
        }

        OwnerReference replicaSet = pod.Controller!; // NeedsReplicaSet checked it.
        OwnerReference? controller = await _replicaSets
            .ControllerOfAsync(pod.Namespace, replicaSet.Name, replicaSet.Uid, deadline, cancellationToken)
            .ConfigureAwait(false);
        return OwnerRules.FromReplicaSet(pod.Namespace, replicaSet, controller);
    }
}
