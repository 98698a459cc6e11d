using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Watching;

namespace Underpool.Kubernetes.Pods;

/// <summary>The pods of one node (or of the whole cluster, for the elected agent), kept by a watch, and the lookup an
/// ADD makes: the cache first, one direct GET within the ADD's deadline when the cache does not have the pod (or has
/// another pod of that name: the watch may lag a quick re-create).</summary>
internal sealed class PodDirectory : IAsyncDisposable
{
    private readonly KubernetesApi _api;
    private long _hits;
    private long _gets;

    private PodDirectory(KubernetesApi api, ResourceFollower<V1Pod, PodInfo> follower)
    {
        _api = api;
        Follower = follower;
    }

    public ResourceFollower<V1Pod, PodInfo> Follower { get; }

    public ObjectCache<PodInfo> Cache => Follower.Cache;

    /// <summary>Lookups the cache answered, and lookups that needed a GET.</summary>
    public (long Hits, long Gets) Counts => (Interlocked.Read(ref _hits), Interlocked.Read(ref _gets));

    /// <summary>The pods bound to <paramref name="node"/> (field selector spec.nodeName).</summary>
    public static PodDirectory ForNode(KubernetesApi api, string node, Backoff backoff, ILogger log) =>
        Create(api, $"spec.nodeName={node}", $"pods on node {node}", backoff, log);

    /// <summary>Every pod of the cluster, for the elected agent's lifecycle duties.</summary>
    public static PodDirectory ForCluster(KubernetesApi api, Backoff backoff, ILogger log) =>
        Create(api, null, "pods of the cluster", backoff, log);

    public void Start() => Follower.Start();

    public PodInfo? TryGetCached(string @namespace, string name) => Cache.Get(KubernetesNames.Key(@namespace, name));

    /// <summary>The pod <paramref name="namespace"/>/<paramref name="name"/>, checked against <paramref name="uid"/>
    /// (K8S_POD_UID) when given. Throws <see cref="PodIdentityException"/> for an unknown pod or another uid, and
    /// <see cref="KubernetesUnavailableException"/> when the GET cannot be answered within <paramref name="deadline"/>.</summary>
    public async Task<PodInfo> GetAsync(string @namespace, string name, string? uid, TimeSpan deadline, CancellationToken cancellationToken)
    {
        PodInfo? cached = TryGetCached(@namespace, name);
        if (cached is not null && (string.IsNullOrEmpty(uid) || cached.Uid == uid))
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }

        Interlocked.Increment(ref _gets);
        string key = KubernetesNames.Key(@namespace, name);
        V1Pod? pod = await _api
            .GetOrNullAsync($"GET pod {key}", (client, token) => client.CoreV1.ReadNamespacedPodAsync(name, @namespace, cancellationToken: token), cancellationToken, deadline)
            .ConfigureAwait(false);
        if (pod is null)
        {
            throw new PodIdentityException(PodIdentityProblem.NotFound, key, uid, null);
        }

        PodInfo info = PodMapping.ToInfo(pod);
        if (!string.IsNullOrEmpty(uid) && info.Uid != uid)
        {
            throw new PodIdentityException(PodIdentityProblem.UidMismatch, key, uid, info.Uid);
        }

        return info;
    }

    public ValueTask DisposeAsync() => Follower.DisposeAsync();

    private static PodDirectory Create(KubernetesApi api, string? fieldSelector, string description, Backoff backoff, ILogger log)
    {
        var source = new WatchSource<V1Pod, PodInfo>(
            description,
            (client, token) => WatchSources.Listed<V1Pod, V1PodList>(client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: fieldSelector, cancellationToken: token)),
            "api/v1/pods",
            fieldSelector,
            SourceGenerationContext.Default.V1Pod,
            PodMapping.ToInfo);
        return new PodDirectory(api, new ResourceFollower<V1Pod, PodInfo>(api, source, backoff, log));
    }
}
