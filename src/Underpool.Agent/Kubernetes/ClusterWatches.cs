using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Lifecycle;
using Underpool.Kubernetes.Nodes;
using Underpool.Kubernetes.Pods;
using Underpool.Kubernetes.Watching;

namespace Underpool.Agent.Kubernetes;

/// <summary>What the elected agent follows cluster-wide while it leads: every pod, node, StatefulSet and Deployment,
/// and the last state of those deleted since (tombstones: only they say whether a deleted StatefulSet kept its
/// addresses, or which pod uid is gone). Any change wakes the lifecycle loop, so a deleted pod's addresses go within
/// a round trip rather than a polling period.</summary>
internal sealed class ClusterWatches : IAsyncDisposable
{
    /// <summary>How long a tombstone is kept: well past any round that could still need it.</summary>
    private static readonly TimeSpan TombstoneLife = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (StatefulSetInfo Info, DateTimeOffset At)> _deletedStatefulSets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DeploymentInfo Info, DateTimeOffset At)> _deletedDeployments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _deletedPodUids = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public ClusterWatches(KubernetesApi api, Backoff backoff, ILogger log, TimeProvider clock, Action wake)
    {
        _clock = clock;
        Pods = PodDirectory.ForCluster(api, backoff, log);
        Nodes = new ResourceFollower<V1Node, NodeInfo>(api, WatchSources.Nodes(null), backoff, log);
        StatefulSets = new ResourceFollower<V1StatefulSet, StatefulSetInfo>(api, WatchSources.StatefulSets(), backoff, log);
        Deployments = new ResourceFollower<V1Deployment, DeploymentInfo>(api, WatchSources.Deployments(), backoff, log);
        Pods.Cache.Changed += change =>
        {
            if (change.New is null && change.Old is { } gone)
            {
                _deletedPodUids[gone.Uid] = _clock.GetUtcNow();
            }

            wake();
        };
        Nodes.Cache.Changed += _ => wake();
        StatefulSets.Cache.Changed += change => Remember(change, _deletedStatefulSets, wake);
        Deployments.Cache.Changed += change => Remember(change, _deletedDeployments, wake);
    }

    public PodDirectory Pods { get; }

    public ResourceFollower<V1Node, NodeInfo> Nodes { get; }

    public ResourceFollower<V1StatefulSet, StatefulSetInfo> StatefulSets { get; }

    public ResourceFollower<V1Deployment, DeploymentInfo> Deployments { get; }

    /// <summary>Every follower has listed once: only then does an absent object mean a deleted one.</summary>
    public bool Synced => Pods.Follower.Health.Synced && Nodes.Health.Synced && StatefulSets.Health.Synced && Deployments.Health.Synced;

    public void Start()
    {
        Pods.Start();
        Nodes.Start();
        StatefulSets.Start();
        Deployments.Start();
    }

    /// <summary>The caches and tombstones now, for one round of decisions.</summary>
    public LifecycleSnapshot Snapshot(IReadOnlyList<HeldEndpoint> held, IReadOnlyList<AppPoolState> appPools)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        Prune(_deletedStatefulSets, e => e.At, now);
        Prune(_deletedDeployments, e => e.At, now);
        Prune(_deletedPodUids, at => at, now);
        return new LifecycleSnapshot
        {
            Now = now,
            Held = held,
            Pods = Pods.Cache.Snapshot().ToDictionary(p => p.Key, StringComparer.Ordinal),
            DeletedPodUids = _deletedPodUids.Keys.ToHashSet(StringComparer.Ordinal),
            Nodes = Nodes.Cache.Snapshot().ToDictionary(n => n.Name, StringComparer.Ordinal),
            StatefulSets = StatefulSets.Cache.Snapshot().ToDictionary(s => s.Key, StringComparer.Ordinal),
            DeletedStatefulSets = _deletedStatefulSets.ToDictionary(e => e.Key, e => e.Value.Info, StringComparer.Ordinal),
            Deployments = Deployments.Cache.Snapshot().ToDictionary(d => d.Key, StringComparer.Ordinal),
            DeletedDeployments = _deletedDeployments.ToDictionary(e => e.Key, e => e.Value.Info, StringComparer.Ordinal),
            AppPools = appPools,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Pods.DisposeAsync().ConfigureAwait(false);
        await Nodes.DisposeAsync().ConfigureAwait(false);
        await StatefulSets.DisposeAsync().ConfigureAwait(false);
        await Deployments.DisposeAsync().ConfigureAwait(false);
    }

    private void Remember<TInfo>(CacheChange<TInfo> change, ConcurrentDictionary<string, (TInfo Info, DateTimeOffset At)> tombstones, Action wake)
        where TInfo : class
    {
        if (change.New is null && change.Old is { } gone)
        {
            tombstones[change.Key] = (gone, _clock.GetUtcNow());
        }
        else if (change.New is not null)
        {
            tombstones.TryRemove(change.Key, out _); // Re-created: alive again.
        }

        wake();
    }

    private static void Prune<T>(ConcurrentDictionary<string, T> tombstones, Func<T, DateTimeOffset> at, DateTimeOffset now)
    {
        foreach ((string key, T value) in tombstones)
        {
            if (now - at(value) > TombstoneLife)
            {
                tombstones.TryRemove(key, out _);
            }
        }
    }
}
