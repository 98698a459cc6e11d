using Underpool.Store;

namespace Underpool.Agent.Conflicts;

/// <summary>What a probe answer means for the candidate, once settled against the store and the known MACs.</summary>
public enum Verdict
{
    /// <summary>Nobody answered: hand it out.</summary>
    Clear,

    /// <summary>Another prober wants the address at the same moment (most often another agent): nobody holds it. Give
    /// it back and take another; nothing is quarantined.</summary>
    Contended,

    /// <summary>The store shows the address allocated: another agent committed it after this view was read, and its pod
    /// answered. Mark it used and take another; nothing is quarantined.</summary>
    Stale,

    /// <summary>One of our nodes' uplinks answered for an address the store shows free: that node holds it itself (a
    /// misconfiguration worth a warning). Not handed out in this ADD, never quarantined.</summary>
    OurNode,

    /// <summary>One of our pods' interfaces answered for an address the store shows free (a pod going away, or one
    /// holding an address it was not given). Not handed out in this ADD, never quarantined.</summary>
    OurPod,

    /// <summary>A host no agent knows holds an address the store shows free: a real conflict, quarantined.</summary>
    Foreign,
}

/// <summary>A verdict with what it rests on: the MAC that answered, its owner when it is ours, and the allocation when
/// the store holds one.</summary>
public sealed record Settlement(Verdict Verdict, string? Mac = null, MacOwner? Owner = null, AllocationRecord? Holder = null)
{
    public static Settlement Clear { get; } = new(Verdict.Clear);
}
