namespace Underpool.Agent.Conflicts;

public enum MacOwnerKind
{
    /// <summary>The uplink of one of our nodes (its agent probes from it).</summary>
    Node,

    /// <summary>The interface of one of our pods (the runtime reported it in CHECK's prevResult).</summary>
    Pod,
}

/// <summary>Which of our own nodes or pods a MAC belongs to: <see cref="Name"/> is the node's name, or the pod's
/// namespace/name (its container id when the runtime gave no pod name).</summary>
public sealed record MacOwner(MacOwnerKind Kind, string Name)
{
    public override string ToString() => Kind == MacOwnerKind.Node ? $"node {Name}" : $"pod {Name}";
}
