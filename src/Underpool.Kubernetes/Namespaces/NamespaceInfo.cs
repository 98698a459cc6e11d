using k8s.Models;
using Underpool.Kubernetes.Annotations;

namespace Underpool.Kubernetes.Namespaces;

/// <summary>What the agent keeps of a namespace: its <c>underpool.io/</c> annotations (default pools).</summary>
internal sealed record NamespaceInfo(string Name, IReadOnlyDictionary<string, string> Annotations)
{
    public static NamespaceInfo From(V1Namespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return new NamespaceInfo(ns.Metadata.Name, UnderpoolAnnotations.Only(ns.Metadata.Annotations));
    }
}
