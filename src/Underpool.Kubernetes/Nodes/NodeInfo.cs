using k8s.Models;

namespace Underpool.Kubernetes.Nodes;

/// <summary>What the agent keeps of a Node: its labels (pool node selectors) and whether it is Ready (null: the
/// node has not reported).</summary>
internal sealed record NodeInfo(string Name, IReadOnlyDictionary<string, string> Labels, bool? Ready)
{
    public static NodeInfo From(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        V1NodeCondition? ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        bool? isReady = ready?.Status switch
        {
            "True" => true,
            "False" => false,
            _ => null,
        };
        IReadOnlyDictionary<string, string> labels = node.Metadata.Labels is { } l
            ? new Dictionary<string, string>(l, StringComparer.Ordinal)
            : Pods.PodInfo.Empty;
        return new NodeInfo(node.Metadata.Name, labels, isReady);
    }

    /// <summary>Equal labels, whatever the dictionaries' types and order.</summary>
    public bool SameLabels(NodeInfo? other) =>
        other is not null && other.Labels.Count == Labels.Count && Labels.All(l => other.Labels.TryGetValue(l.Key, out string? v) && v == l.Value);
}
