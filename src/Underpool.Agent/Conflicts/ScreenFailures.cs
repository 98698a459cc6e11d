using Underpool.Agent.Ipam;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Probe;

namespace Underpool.Agent.Conflicts;

/// <summary>Why the conflict screen stops an ADD, in words a person can act on.</summary>
internal static class ScreenFailures
{
    public static Failure RequestedInUse(IpAddress address, string mac, Uplink uplink) => new(
        "address-conflicts",
        409,
        $"the requested address {address} is in use on the underlay: {mac} answered for it on {uplink}; it is quarantined "
        + "(see 'underpoolctl conflict list'); free it on that host or request another address",
        CniService.RequestedUnavailableCode);

    /// <summary>A requested address that is not a foreign host's but cannot be given now either.</summary>
    public static Failure RequestedNotGiven(IpAddress address, PoolSpec pool, Settlement verdict, Uplink uplink) => verdict.Verdict switch
    {
        Verdict.Stale => new Failure(
            "requested-address-unavailable",
            409,
            $"the requested address {address} (pool '{pool.Name}') is allocated to another endpoint "
            + $"(node {verdict.Holder?.Node}); 'underpoolctl ip list --pool {pool.Name}' shows who holds it",
            CniService.RequestedUnavailableCode),
        Verdict.Contended => new Failure(
            "contention",
            503,
            $"the requested address {address} is being probed on {uplink} by {verdict.Mac} at this very moment (another "
            + "agent or host is trying to take it); try again",
            11),
        _ => new Failure(
            "address-conflicts",
            409,
            $"the requested address {address} is held by our own {verdict.Owner} ({verdict.Mac} answered for it on {uplink}) "
            + "although the store shows it free; free it there or request another address",
            CniService.RequestedUnavailableCode),
    };

    public static Failure TooManyConflicts(IReadOnlyList<PoolSpec> pools, int conflicts, int max, Uplink uplink) => new(
        "address-conflicts",
        409,
        $"{conflicts} candidate {pools[0].Family.ToDisplay()} addresses of {Names(pools)} "
        + $"answered on {uplink} (another host holds them) and no free address was left to try"
        + (conflicts > max ? $" within {max} tries" : string.Empty)
        + "; they are quarantined: see 'underpoolctl conflict list', and find the hosts by their MACs",
        104);

    public static Failure Contention(IReadOnlyList<PoolSpec> pools, int setAside) => new(
        "contention",
        503,
        $"gave up after {setAside} candidates of {Names(pools)} were being taken by other agents at the same moment "
        + "(or were held by our own nodes or pods); try again",
        11);

    public static Failure NothingLeft(IReadOnlyList<PoolSpec> pools, int setAside) => new(
        "pool-exhausted",
        409,
        $"no free {pools[0].Family.ToDisplay()} address is left in {Names(pools)}: the last {setAside} candidates were "
        + "taken by other agents meanwhile or are held by our own nodes or pods; release addresses, widen the pool's "
        + "ranges or add a fallback pool to the CNI config",
        100);

    private static string Names(IReadOnlyList<PoolSpec> pools) => string.Join(", ", pools.Select(p => $"'{p.Name}'"));
}
