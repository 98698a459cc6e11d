using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary>A pool as the user declared it: where its addresses come from and who may use them.</summary>
/// <remarks>Only <see cref="PoolValidator"/> decides whether a spec is acceptable; a stored spec is valid.</remarks>
public sealed record PoolSpec
{
    public required string Name { get; init; }

    public required IpCidr Subnet { get; init; }

    /// <summary>Ranges handed out; empty means the whole subnet less its network (and IPv4 broadcast) address.</summary>
    public IReadOnlyList<IpRange> Ranges { get; init; } = [];

    /// <summary>Addresses inside the ranges that this pool never hands out.</summary>
    public IReadOnlyList<IpAddress> Exclude { get; init; } = [];

    /// <summary>The subnet's gateway: returned in results, never handed out.</summary>
    public IpAddress? Gateway { get; init; }

    public IReadOnlyList<PoolRoute> Routes { get; init; } = [];

    /// <summary>The VLAN the subnet lives on, for the user's records and for the main plugin.</summary>
    public int? Vlan { get; init; }

    public NodeAffinity Affinity { get; init; } = NodeAffinity.Any;

    /// <summary>Used for its family when a CNI config names no pools.</summary>
    public bool IsDefault { get; init; }

    /// <summary>A disabled pool keeps its allocations but hands out nothing new.</summary>
    public bool Disabled { get; init; }

    /// <summary>Probe a candidate for another holder before handing it out; null follows the agent's --probe.</summary>
    public bool? Probe { get; init; }

    public GatewayCheck CheckGateway { get; init; }

    /// <summary>For an application pool: the pool its addresses were carved from (they stay allocated there, to the
    /// application pool, so the parent never hands them out).</summary>
    public string? Parent { get; init; }

    /// <summary>For an application pool: the application ("namespace/name") whose replicas draw only from it.</summary>
    public string? App { get; init; }

    /// <summary>An application pool that outlives its application (not reclaimed when the application is deleted).</summary>
    public bool Keep { get; init; }

    public IpFamily Family => Subnet.Family;

    /// <summary>Which incarnation of the pool this is: set by the store when it creates the pool (0 before), and
    /// different for a pool deleted and created again under the same name. A commit names the generation its
    /// addresses were picked from, so an address picked from a pool that has since changed is never recorded.</summary>
    public long Generation { get; init; }
}
