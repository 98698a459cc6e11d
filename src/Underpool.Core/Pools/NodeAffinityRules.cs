namespace Underpool.Core.Pools;

/// <summary>Whether a pool's <see cref="NodeAffinity"/> lets a node draw from it, and how to say so.</summary>
/// <remarks>
/// Node names and a node selector together narrow each other: the pool is for the named nodes whose labels match.
/// Each option then means what `pool create --help` says of it ("only these nodes may use the pool"), and adding one
/// can never open the pool to more nodes. A union (what this did before) let a selector widen a name list to nodes
/// that may not reach the subnet; Spiderpool's "the name list wins" would silently ignore a selector the operator
/// wrote. An intersection is also what Kubernetes does with a pod's nodeName and nodeSelector.
/// </remarks>
public static class NodeAffinityRules
{
    /// <summary>True for <see cref="NodeAffinity.Any"/>, or a node that is named (when names are given) and whose labels
    /// match the selector (when one is given).</summary>
    public static bool Allows(this NodeAffinity affinity, NodeIdentity node) => affinity.Refusal(node) is null;

    /// <summary>Null when the node may draw from the pool; else why not, naming the node ("node2 is not one of the
    /// named nodes", "node1's labels rack=r2 do not match").</summary>
    /// <remarks>A selector that does not parse matches nothing: <see cref="PoolValidator"/> refuses it up front,
    /// so this only guards against a hand-edited store.</remarks>
    public static string? Refusal(this NodeAffinity affinity, NodeIdentity node)
    {
        ArgumentNullException.ThrowIfNull(affinity);
        ArgumentNullException.ThrowIfNull(node);
        if (affinity.NodeNames.Count > 0 && !affinity.NodeNames.Contains(node.Name, StringComparer.Ordinal))
        {
            return $"{node.Name} is not one of the named nodes";
        }

        if (!affinity.HasSelector()
            || (LabelSelector.TryParse(affinity.NodeSelector!, out LabelSelector? selector, out _) && selector.Matches(node.Labels)))
        {
            return null;
        }

        return node.Labels.Count == 0
            ? $"{node.Name} has no labels"
            : $"{node.Name}'s labels {string.Join(',', node.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))} do not match";
    }

    /// <summary>"nodes node1,node2", "nodes with labels rack=r1", "nodes node1,node2 with labels rack=r1", or "any node".</summary>
    public static string Describe(this NodeAffinity affinity)
    {
        ArgumentNullException.ThrowIfNull(affinity);
        if (affinity.IsAny)
        {
            return "any node";
        }

        string named = affinity.NodeNames.Count > 0 ? "nodes " + string.Join(',', affinity.NodeNames) : "nodes";
        if (!affinity.HasSelector())
        {
            return named;
        }

        string selector = LabelSelector.TryParse(affinity.NodeSelector!, out LabelSelector? parsed, out _)
            ? parsed.ToString()
            : affinity.NodeSelector!.Trim();
        return $"{named} with labels {selector}";
    }

    /// <summary>True when the affinity has a label selector.</summary>
    internal static bool HasSelector(this NodeAffinity affinity) => !string.IsNullOrWhiteSpace(affinity.NodeSelector);
}
