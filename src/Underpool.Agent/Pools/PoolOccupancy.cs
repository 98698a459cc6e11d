using Underpool.Core.Allocation;
using Underpool.Core.Net;
using Underpool.Store;

namespace Underpool.Agent.Pools;

/// <summary>Where a pool's addresses are, as of the agent's view: what an "exhausted" message needs so a person sees
/// why nothing is free.</summary>
/// <param name="Capacity">Addresses the pool can ever hand out: its ranges less excluded addresses and the gateway.</param>
/// <param name="Allocated">Addresses allocated (held by an endpoint or carved for an application pool).</param>
/// <param name="Reserved">Addresses of the capacity not allocated but reserved cluster-wide.</param>
/// <param name="Quarantined">Addresses of the capacity not allocated nor reserved but quarantined (another host answered).</param>
/// <param name="ExcludedOrGateway">Addresses inside the ranges the pool never hands out: excluded ones and the gateway.</param>
internal sealed record PoolOccupancy(UInt128 Capacity, long Allocated, int Reserved, int Quarantined, int ExcludedOrGateway)
{
    /// <summary>Counts an allocator's addresses; reserved and quarantined ones count once each, and only when free
    /// otherwise (an allocated address that is also reserved counts as allocated).</summary>
    internal static PoolOccupancy Of(PoolAllocator allocator, IReadOnlyList<IpAddress> reserved, IReadOnlyList<QuarantineRecord> quarantined)
    {
        var held = reserved.Where(allocator.IsIdleInCapacity).ToHashSet();
        int quarantinedOnly = quarantined.Select(q => q.Address).Distinct().Count(a => !held.Contains(a) && allocator.IsIdleInCapacity(a));
        return new PoolOccupancy(allocator.Capacity, allocator.UsedCount, held.Count, quarantinedOnly, allocator.ExcludedOrGatewayCount);
    }

    /// <summary>"size 5: 3 allocated, 1 reserved, 1 quarantined", plus the addresses excluded or the gateway when any.</summary>
    public override string ToString()
    {
        string text = $"size {Capacity}: {Allocated} allocated, {Reserved} reserved, {Quarantined} quarantined";
        return ExcludedOrGateway == 0 ? text : $"{text}; {ExcludedOrGateway} more in its ranges excluded or the gateway";
    }
}
