using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Ipam;

// Candidates for an ADD: which pools a network may use on this node, and one address per family from them (the
// address asked for, or the next free one), with the failures that say why there is none.
public sealed partial class CniService
{
    private Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>> SelectCandidates(PoolChoice choice)
    {
        IReadOnlyDictionary<string, PoolSpec> pools = _registry.Pools;
        IReadOnlyList<string> v4 = choice.Ipv4 ?? [];
        IReadOnlyList<string> v6 = choice.Ipv6 ?? [];
        var families = new List<IReadOnlyList<PoolSpec>>(2);
        if (v4.Count == 0 && v6.Count == 0)
        {
            // No pools named: use each family's default pools; dual-stack when both families have one.
            foreach (IpFamily family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                IReadOnlyList<PoolSpec> defaults = PoolSelector.Select(family, [], pools, _node.Identity, out SelectionFailure? failure, _registry.Problems);
                if (failure is null)
                {
                    families.Add(defaults);
                }
                else if (failure.Kind != SelectionFailureKind.NoDefaultPool)
                {
                    return ToFailure(failure);
                }
            }

            if (families.Count == 0)
            {
                return new Failure(
                    "no-pool-configured",
                    400,
                    "the CNI config names no pools (ipam.pools.ipv4 / ipam.pools.ipv6) and no default pool exists; "
                    + "name pools in the config or create one with 'underpoolctl pool create NAME --subnet CIDR --default'",
                    7);
            }

            return families;
        }

        foreach ((IpFamily family, IReadOnlyList<string> names) in new[] { (IpFamily.V4, v4), (IpFamily.V6, v6) })
        {
            if (names.Count == 0)
            {
                continue;
            }

            IReadOnlyList<PoolSpec> selected = PoolSelector.Select(family, names, pools, _node.Identity, out SelectionFailure? failure, _registry.Problems);
            if (failure is not null)
            {
                return ToFailure(failure);
            }

            families.Add(selected);
        }

        return families;
    }

    /// <summary>A repeated plain ADD whose pools can hand out nothing now (disabled, exhausted, no longer allowing this
    /// node) still gets what its attachment holds: a holder keeps its addresses. Read only on this failure path, so a
    /// plain ADD still costs one store round trip; static and requested ADDs read their attachment before choosing.</summary>
    private async Task<Outcome<CniAddResponse>> HeldOrAsync(AddIntent want, Failure failure, CancellationToken cancellationToken)
    {
        if (want.IsStatic || want.Requested.Count > 0)
        {
            return failure;
        }

        IReadOnlyList<AllocationRecord> held = await _store.GetAttachmentAsync(want.Key, cancellationToken).ConfigureAwait(false);
        if (held.Count == 0)
        {
            return failure;
        }

        LogRepeatedAdd(want.Key, string.Join(", ", held.Select(e => e.Address)));
        return ToResponse(held);
    }

    private static Failure ToFailure(SelectionFailure failure) => failure.Kind switch
    {
        SelectionFailureKind.UnknownPool => new Failure("unknown-pool", 400, failure.Message, 7),
        SelectionFailureKind.WrongFamily => new Failure("wrong-family", 400, failure.Message, 7),
        SelectionFailureKind.NoDefaultPool => new Failure("no-default-pool", 400, failure.Message, 7),
        _ => new Failure("no-eligible-pool", 409, failure.Message, 101),
    };

    /// <summary>One candidate per family: the requested address when one was asked for, else a free address of the
    /// first of its pools that has one.</summary>
    private Outcome<List<(PoolSpec Pool, IpAddress Address)>> Pick(
        IReadOnlyList<IReadOnlyList<PoolSpec>> families, IReadOnlyDictionary<IpFamily, IpAddress> requested)
    {
        foreach ((IpFamily family, IpAddress address) in requested)
        {
            if (!families.Any(pools => pools[0].Family == family))
            {
                return RequestedOutside(address, []);
            }
        }

        var picks = new List<(PoolSpec, IpAddress)>(families.Count);
        foreach (IReadOnlyList<PoolSpec> pools in families)
        {
            Outcome<(PoolSpec, IpAddress)> pick = requested.TryGetValue(pools[0].Family, out IpAddress wanted)
                ? TakeRequested(pools, wanted)
                : TakeFirstFree(pools);
            if (!pick.IsSuccess)
            {
                ReleaseLocally(picks);
                return pick.Failure;
            }

            picks.Add(pick.Value);
        }

        return picks;
    }

    private Outcome<(PoolSpec, IpAddress)> TakeFirstFree(IReadOnlyList<PoolSpec> pools)
    {
        foreach (PoolSpec pool in pools)
        {
            if (_registry.TryTake(pool.Name) is { } address)
            {
                return (pool, address);
            }
        }

        return Exhausted(pools);
    }

    private Outcome<(PoolSpec, IpAddress)> TakeRequested(IReadOnlyList<PoolSpec> pools, IpAddress address)
    {
        PoolSpec? pool = pools.FirstOrDefault(p => _registry.CanHandOut(p.Name, address));
        if (pool is null)
        {
            return RequestedOutside(address, pools);
        }

        return _registry.TryTakeExact(pool.Name, address) ? (pool, address) : RequestedTaken(address, pool);
    }

    private Failure RequestedOutside(IpAddress address, IReadOnlyList<PoolSpec> pools) => new(
        "requested-address-unavailable",
        409,
        pools.Count == 0
            ? $"the requested address {address} is {address.Family.ToDisplay()}, but this network uses no {address.Family.ToDisplay()} pool on node {_node.Name}"
            : $"the requested address {address} is not one that the pools this network may use on node {_node.Name} hand out "
              + $"({string.Join(", ", pools.Select(p => $"'{p.Name}' {p.Subnet}"))}): it is outside their ranges, excluded, "
              + "the gateway or reserved",
        RequestedUnavailableCode);

    private static Failure RequestedTaken(IpAddress address, PoolSpec pool) => new(
        "requested-address-unavailable",
        409,
        $"the requested address {address} (pool '{pool.Name}') is allocated to another endpoint; "
        + $"'underpoolctl ip list --pool {pool.Name}' shows who holds it",
        RequestedUnavailableCode);

    private Failure Exhausted(IReadOnlyList<PoolSpec> pools)
    {
        // Every count that takes an address out of the free ones, so a person sees why the pool is full: a pool of 5
        // with 3 allocated is full when 1 is reserved and 1 quarantined.
        string Describe(PoolSpec p) => _registry.Occupancy(p.Name) is { } o
            ? $"pool '{p.Name}' ({p.Subnet}, {o})"
            : $"pool '{p.Name}' ({p.Subnet})";
        string which = pools.Count == 1
            ? $"{Describe(pools[0])} is exhausted"
            : $"every {pools[0].Family.ToDisplay()} pool tried is exhausted: {string.Join("; ", pools.Select(Describe))}";
        return new Failure(
            "pool-exhausted",
            409,
            $"{which}; release addresses, widen the pool's ranges or add a fallback pool to the CNI config",
            100);
    }
}
