namespace Underpool.Probe;

/// <summary>What probing an address found on the segment.</summary>
public enum ProbeFinding
{
    /// <summary>Nobody answered within the budget (for one frame: the frame says nothing about the address).</summary>
    Clear,

    /// <summary>Another host holds the address: it replied or announced it (an ARP packet whose sender IP is the
    /// address; an NDP neighbor advertisement for it, or a solicitation sent from it).</summary>
    Held,

    /// <summary>Another prober is trying the same address at the same moment (an RFC 5227 ARP probe from 0.0.0.0, an
    /// NDP duplicate address detection solicitation from ::): someone wants it, nobody holds it yet.</summary>
    Contended,
}
