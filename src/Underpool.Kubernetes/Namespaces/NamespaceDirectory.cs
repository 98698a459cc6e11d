using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Watching;

namespace Underpool.Kubernetes.Namespaces;

/// <summary>The namespaces' <c>underpool.io/</c> annotations, kept by a watch of all namespaces. A watch rather than
/// a TTL cache: a cluster has tens to hundreds of namespaces, each kept as a few short strings, so the whole follows
/// for a few kilobytes and one stream; a changed default pool then applies to the next ADD, where a TTL would serve
/// the old one for up to its length, or cost a GET per ADD when short. A namespace the watch has not shown yet (just
/// created) costs one GET within the ADD's deadline.</summary>
internal sealed class NamespaceDirectory : IAsyncDisposable
{
    private readonly KubernetesApi _api;

    public NamespaceDirectory(KubernetesApi api, Backoff backoff, ILogger log)
    {
        _api = api;
        Follower = new ResourceFollower<V1Namespace, NamespaceInfo>(api, WatchSources.Namespaces(), backoff, log);
    }

    public ResourceFollower<V1Namespace, NamespaceInfo> Follower { get; }

    public void Start() => Follower.Start();

    /// <summary>The namespace's annotations of ours; empty for a namespace that does not exist (the pod's own lookup
    /// reports that). Throws <see cref="KubernetesUnavailableException"/> when a needed GET cannot be answered in time.</summary>
    public async Task<IReadOnlyDictionary<string, string>> AnnotationsAsync(string name, TimeSpan deadline, CancellationToken cancellationToken)
    {
        if (Follower.Cache.Get(name) is { } cached)
        {
            return cached.Annotations;
        }

        V1Namespace? ns = await _api
            .GetOrNullAsync($"GET namespace {name}", (client, token) => client.CoreV1.ReadNamespaceAsync(name, cancellationToken: token), cancellationToken, deadline)
            .ConfigureAwait(false);
        return ns is null ? Pods.PodInfo.Empty : NamespaceInfo.From(ns).Annotations;
    }

    public ValueTask DisposeAsync() => Follower.DisposeAsync();
}
