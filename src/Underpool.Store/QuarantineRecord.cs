using Underpool.Core.Net;

namespace Underpool.Store;

/// <summary>An address some host the IPAM does not know answered for: no pool hands it out until it is probed clear.</summary>
/// <remarks>Keyed by <see cref="Address"/> alone: a conflict is a fact about the underlay, whichever pool the address
/// was picked from. The node and interface say where it was seen, so that node's agent can re-probe it there.</remarks>
public sealed record QuarantineRecord
{
    public required IpAddress Address { get; init; }

    /// <summary>The pool the address was picked from when the conflict was found.</summary>
    public required string Pool { get; init; }

    /// <summary>The hardware address that answered, lower-case "aa:bb:cc:dd:ee:ff".</summary>
    public required string Mac { get; init; }

    /// <summary>The node whose agent saw the answer.</summary>
    public required string Node { get; init; }

    /// <summary>The uplink interface the answer came in on (the macvlan master).</summary>
    public required string Interface { get; init; }

    public required DateTimeOffset DetectedAt { get; init; }
}
