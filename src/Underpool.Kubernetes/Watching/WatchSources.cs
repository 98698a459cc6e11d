using k8s;
using k8s.Models;
using Underpool.Kubernetes.Annotations;
using Underpool.Kubernetes.Lifecycle;
using Underpool.Kubernetes.Namespaces;
using Underpool.Kubernetes.Nodes;

namespace Underpool.Kubernetes.Watching;

/// <summary>The list call and watch URL of each kind the agent follows besides pods (see <c>PodDirectory</c>), and what
/// it keeps of each.</summary>
internal static class WatchSources
{
    /// <summary>A list call's items and the resourceVersion they are current at, as a follower takes them.</summary>
    public static async Task<(IReadOnlyList<TObject> Items, string ResourceVersion)> Listed<TObject, TList>(Task<TList> list)
        where TList : IItems<TObject>, IMetadata<V1ListMeta>
    {
        ArgumentNullException.ThrowIfNull(list);
        TList listed = await list.ConfigureAwait(false);
        return (listed.Items.ToList(), listed.Metadata.ResourceVersion);
    }

    /// <summary>Nodes; one node when <paramref name="name"/> is given (field selector metadata.name).</summary>
    public static WatchSource<V1Node, NodeInfo> Nodes(string? name)
    {
        string? selector = name is null ? null : $"metadata.name={name}";
        return new(
            name is null ? "nodes" : $"node {name}",
            (client, token) => Listed<V1Node, V1NodeList>(client.CoreV1.ListNodeAsync(fieldSelector: selector, cancellationToken: token)),
            "api/v1/nodes",
            selector,
            SourceGenerationContext.Default.V1Node,
            NodeInfo.From);
    }

    /// <summary>Namespaces, keeping their <c>underpool.io/</c> annotations only.</summary>
    public static WatchSource<V1Namespace, NamespaceInfo> Namespaces() => new(
        "namespaces",
        (client, token) => Listed<V1Namespace, V1NamespaceList>(client.CoreV1.ListNamespaceAsync(cancellationToken: token)),
        "api/v1/namespaces",
        null,
        SourceGenerationContext.Default.V1Namespace,
        NamespaceInfo.From);

    public static WatchSource<V1StatefulSet, StatefulSetInfo> StatefulSets() => new(
        "statefulsets",
        (client, token) => Listed<V1StatefulSet, V1StatefulSetList>(client.AppsV1.ListStatefulSetForAllNamespacesAsync(cancellationToken: token)),
        "apis/apps/v1/statefulsets",
        null,
        SourceGenerationContext.Default.V1StatefulSet,
        s => new StatefulSetInfo(
            s.Metadata.NamespaceProperty, s.Metadata.Name, s.Metadata.Uid ?? "", s.Spec?.Replicas ?? 1,
            s.Metadata.Annotations?.TryGetValue(UnderpoolAnnotations.Keep, out string? keep) == true && bool.TryParse(keep, out bool kept) && kept));

    public static WatchSource<V1Deployment, DeploymentInfo> Deployments() => new(
        "deployments",
        (client, token) => Listed<V1Deployment, V1DeploymentList>(client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: token)),
        "apis/apps/v1/deployments",
        null,
        SourceGenerationContext.Default.V1Deployment,
        d => new DeploymentInfo(
            d.Metadata.NamespaceProperty, d.Metadata.Name, d.Metadata.Uid ?? "", d.Spec?.Replicas ?? 1, UnderpoolAnnotations.Only(d.Metadata.Annotations)));
}
