using Underpool.Core.Pools;

namespace Underpool.Agent.Nodes;

/// <summary>This node as pools' node affinity sees it: its name and its labels now. The labels are --node-labels, or in
/// Kubernetes mode those of the node's Node object, which change while the agent runs (a watch replaces them).</summary>
public sealed class LocalNode
{
    private volatile NodeIdentity _identity;

    public LocalNode(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _identity = new NodeIdentity(options.Node, options.NodeLabels);
    }

    public NodeIdentity Identity => _identity;

    public string Name => _identity.Name;

    public IReadOnlyDictionary<string, string> Labels => _identity.Labels;

    public void ReplaceLabels(IReadOnlyDictionary<string, string> labels) =>
        _identity = _identity with { Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal) };
}
