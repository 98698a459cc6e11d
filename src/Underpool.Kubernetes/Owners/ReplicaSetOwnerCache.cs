using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Pods;

namespace Underpool.Kubernetes.Owners;

/// <summary>ReplicaSet → its controller by GET, remembered per ReplicaSet uid: a ReplicaSet's Deployment does not
/// change (a ReplicaSet of the same name re-created is another uid), so the first ADD of each rollout pays one GET
/// and its replicas none. Bounded: cleared when it grows past <see cref="Capacity"/>.</summary>
internal sealed class ReplicaSetOwnerCache : IReplicaSetOwners
{
    public const int Capacity = 4096;

    private readonly KubernetesApi _api;
    private readonly ConcurrentDictionary<string, OwnerReference?> _known = new(StringComparer.Ordinal);

    public ReplicaSetOwnerCache(KubernetesApi api) => _api = api;

    public int Count => _known.Count;

    public async Task<OwnerReference?> ControllerOfAsync(string @namespace, string name, string? uid, TimeSpan deadline, CancellationToken cancellationToken)
    {
        string key = uid ?? KubernetesNames.Key(@namespace, name);
        if (_known.TryGetValue(key, out OwnerReference? known))
        {
            return known;
        }

        V1ReplicaSet? replicaSet = await _api
            .GetOrNullAsync(
                $"GET replicaset {@namespace}/{name}",
                (client, token) => client.AppsV1.ReadNamespacedReplicaSetAsync(name, @namespace, cancellationToken: token),
                cancellationToken,
                deadline)
            .ConfigureAwait(false);
        if (replicaSet is null || (uid is not null && replicaSet.Metadata.Uid != uid))
        {
            return null; // Gone (or replaced): not remembered, the pod is going too.
        }

        OwnerReference? controller = PodMapping.ControllerOf(replicaSet.Metadata);
        if (_known.Count >= Capacity)
        {
            _known.Clear();
        }

        _known[key] = controller;
        return controller;
    }
}
