using Underpool.Agent.Failures;
using Underpool.Agent.Nodes;
using Underpool.Agent.Pools;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Add;

/// <summary>Picks one candidate per family from the in-memory view: the address asked for when there is one, else the
/// next free address of the first of its pools that has one. Nothing is written; the lease gives the candidates back
/// unless they are committed.</summary>
internal sealed class CandidatePicker(PoolRegistry registry, LocalNode node)
{
    /// <param name="families">One list of pools per family, in order of preference (<see cref="PoolChooser"/>).</param>
    /// <param name="requested">Exact addresses asked for, at most one per family.</param>
    public Outcome<CandidateLease> Pick(IReadOnlyList<IReadOnlyList<PoolSpec>> families, IReadOnlyDictionary<IpFamily, IpAddress> requested)
    {
        ArgumentNullException.ThrowIfNull(families);
        ArgumentNullException.ThrowIfNull(requested);
        foreach ((IpFamily family, IpAddress address) in requested)
        {
            if (!families.Any(pools => pools[0].Family == family))
            {
                return AddFailures.RequestedOutside(address, [], node.Identity);
            }
        }

        var lease = new CandidateLease(registry, families.Count);
        for (int slot = 0; slot < families.Count; slot++)
        {
            IReadOnlyList<PoolSpec> pools = families[slot];
            Failure? none = requested.TryGetValue(pools[0].Family, out IpAddress wanted)
                ? TakeRequested(lease, slot, pools, wanted)
                : TakeFree(lease, slot, pools);
            if (none is not null)
            {
                lease.Dispose();
                return none;
            }
        }

        return lease;
    }

    private Failure? TakeFree(CandidateLease lease, int slot, IReadOnlyList<PoolSpec> pools) =>
        lease.TryTakeFree(slot, pools) ? null
        : registry.ContendedHeldIn(pools) is > 0 and int held ? AddFailures.AllFreeContended(pools, held)
        : AddFailures.Exhausted(pools, registry);

    private Failure? TakeRequested(CandidateLease lease, int slot, IReadOnlyList<PoolSpec> pools, IpAddress address)
    {
        PoolSpec? pool = pools.FirstOrDefault(p => registry.CanHandOut(p.Name, address));
        if (pool is null)
        {
            return AddFailures.RequestedOutside(address, pools, node.Identity);
        }

        return lease.TryTakeExact(slot, pool, address) ? null : AddFailures.RequestedTaken(address, pool);
    }
}
