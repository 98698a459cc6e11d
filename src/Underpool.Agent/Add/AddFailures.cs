using Underpool.Agent.Failures;
using Underpool.Api.Contracts;
using Underpool.Agent.Pools;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Add;

/// <summary>Why an ADD gets no addresses, in words a person can act on.</summary>
internal static class AddFailures
{
    public static Failure NoPoolConfigured() => new(
        ProblemKinds.NoPoolConfigured,
        "the CNI config names no pools (ipam.pools.ipv4 / ipam.pools.ipv6) and no default pool exists; "
        + "name pools in the config or create one with 'underpoolctl pool create NAME --subnet CIDR --default'");

    public static Failure FromSelection(SelectionFailure failure) => failure.Kind switch
    {
        SelectionFailureKind.UnknownPool => new Failure(ProblemKinds.UnknownConfiguredPool, failure.Message),
        SelectionFailureKind.WrongFamily => new Failure(ProblemKinds.WrongFamily, failure.Message),
        SelectionFailureKind.NoDefaultPool => new Failure(ProblemKinds.NoDefaultPool, failure.Message),
        _ => new Failure(ProblemKinds.NoEligiblePool, failure.Message),
    };

    public static Failure RequestedOutside(IpAddress address, IReadOnlyList<PoolSpec> pools, NodeIdentity node) => new(
        ProblemKinds.RequestedAddressUnavailable,
        pools.Count == 0
            ? $"the requested address {address} is {address.Family.ToDisplay()}, but this network uses no {address.Family.ToDisplay()} pool on node {node.Name}"
            : $"the requested address {address} is not one that the pools this network may use on node {node.Name} hand out "
              + $"({string.Join(", ", pools.Select(p => $"'{p.Name}' {p.Subnet}"))}): it is outside their ranges, excluded, "
              + "the gateway or reserved");

    public static Failure RequestedTaken(IpAddress address, PoolSpec pool) => new(
        ProblemKinds.RequestedAddressUnavailable,
        $"the requested address {address} (pool '{pool.Name}') is allocated to another endpoint; "
        + $"'underpoolctl ip list --pool {pool.Name}' shows who holds it");

    public static Failure Exhausted(IReadOnlyList<PoolSpec> pools, PoolRegistry registry)
    {
        // Every count that takes an address out of the free ones, so a person sees why the pool is full: a pool of 5
        // with 3 allocated is full when 1 is reserved and 1 quarantined.
        string Describe(PoolSpec p) => registry.Occupancy(p.Name) is { } o
            ? $"pool '{p.Name}' ({p.Subnet}, {o})"
            : $"pool '{p.Name}' ({p.Subnet})";
        string which = pools.Count == 1
            ? $"{Describe(pools[0])} is exhausted"
            : $"every {pools[0].Family.ToDisplay()} pool tried is exhausted: {string.Join("; ", pools.Select(Describe))}";
        return new Failure(
            ProblemKinds.PoolExhausted,
            $"{which}; release addresses, widen the pool's ranges or add a fallback pool to the CNI config");
    }

    /// <summary>No address is free but some are only held back for a moment after another prober wanted them.</summary>
    public static Failure AllFreeContended(IReadOnlyList<PoolSpec> pools, int held) => new(
        ProblemKinds.Contention,
        $"the free addresses of {string.Join(", ", pools.Select(p => $"'{p.Name}'"))} ({held}) were all being probed by "
        + "another agent or host a moment ago and are held back for under a second; try again");

    public static Failure GaveUp(int attempts) => new(
        ProblemKinds.Contention,
        $"gave up after {attempts} attempts: every address picked was taken by another agent first "
        + "or the pools kept changing; try again");
}
