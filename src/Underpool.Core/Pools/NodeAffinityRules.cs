namespace Underpool.Core.Pools;

/// <summary>Whether a pool's <see cref="NodeAffinity"/> lets a node draw from it, and how to say so.</summary>
public static class NodeAffinityRules
{
    /// <summary>True for <see cref="NodeAffinity.Any"/>, a node named in the list, or a node the selector matches.</summary>
    /// <remarks>A selector that does not parse matches nothing: <see cref="PoolValidator"/> refuses it up front,
    /// so this only guards against a hand-edited store.</remarks>
    public static bool Allows(this NodeAffinity affinity, NodeIdentity node)
    {
        ArgumentNullException.ThrowIfNull(affinity);
        ArgumentNullException.ThrowIfNull(node);
        if (affinity.IsAny)
        {
            return true;
        }

        foreach (string name in affinity.NodeNames)
        {
            if (string.Equals(name, node.Name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return !string.IsNullOrWhiteSpace(affinity.NodeSelector)
               && LabelSelector.TryParse(affinity.NodeSelector, out LabelSelector? selector, out _)
               && selector.Matches(node.Labels);
    }

    /// <summary>"nodes node1,node2 or labels rack=r1", "labels rack=r1", or "any node".</summary>
    public static string Describe(this NodeAffinity affinity)
    {
        ArgumentNullException.ThrowIfNull(affinity);
        if (affinity.IsAny)
        {
            return "any node";
        }

        var parts = new List<string>(2);
        if (affinity.NodeNames.Count > 0)
        {
            parts.Add("nodes " + string.Join(',', affinity.NodeNames));
        }

        if (!string.IsNullOrWhiteSpace(affinity.NodeSelector))
        {
            string text = LabelSelector.TryParse(affinity.NodeSelector, out LabelSelector? selector, out _)
                ? selector.ToString()
                : affinity.NodeSelector.Trim();
            parts.Add("labels " + text);
        }

        return string.Join(" or ", parts);
    }

    /// <summary>True when the affinity has a label selector, so a message about it should show the node's labels.</summary>
    internal static bool HasSelector(this NodeAffinity affinity) => !string.IsNullOrWhiteSpace(affinity.NodeSelector);
}
