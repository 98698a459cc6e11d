using k8s.Models;
using Microsoft.Extensions.Logging;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Watching;

namespace Underpool.Kubernetes.Nodes;

/// <summary>This node's labels, following its Node object (a watch with field selector metadata.name), so pools with
/// a node selector work on the labels a cluster really has (topology.kubernetes.io/zone, a rack label) and follow
/// when they change.</summary>
internal sealed class NodeLabelsFollower : IAsyncDisposable
{
    private readonly string _node;

    public NodeLabelsFollower(KubernetesApi api, string node, Backoff backoff, ILogger log)
    {
        _node = node;
        Follower = new ResourceFollower<V1Node, NodeInfo>(api, WatchSources.Nodes(node), backoff, log);
        Follower.Cache.Changed += OnChanged;
    }

    /// <summary>Raised (on the watch's task) with the new labels whenever they differ from the last ones seen.</summary>
    public event Action<IReadOnlyDictionary<string, string>>? LabelsChanged;

    public ResourceFollower<V1Node, NodeInfo> Follower { get; }

    /// <summary>The labels now; empty before the first list, or while the Node object does not exist.</summary>
    public IReadOnlyDictionary<string, string> Labels => Follower.Cache.Get(_node)?.Labels ?? Pods.PodInfo.Empty;

    public void Start() => Follower.Start();

    public ValueTask DisposeAsync() => Follower.DisposeAsync();

    private void OnChanged(CacheChange<NodeInfo> change)
    {
        if (change.New is { } now && !now.SameLabels(change.Old))
        {
            LabelsChanged?.Invoke(now.Labels);
        }
        else if (change.New is null && change.Old is { Labels.Count: > 0 })
        {
            LabelsChanged?.Invoke(Pods.PodInfo.Empty);
        }
    }
}
