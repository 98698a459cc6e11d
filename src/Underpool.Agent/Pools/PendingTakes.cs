using Underpool.Core.Net;

namespace Underpool.Agent.Pools;

/// <summary>Addresses this agent took from its view for an ADD or a carve that the store does not show as held yet:
/// the part of a pool's used set that is this agent's guess, not the store's word.</summary>
/// <remarks>Kept apart so that giving a pick back frees only the pick. Without it, an agent that picked an address,
/// then caught up with another agent's commit of that same address, then gave its pick back erased the store's
/// allocation from its view: its counts drifted below the store's (four agents said 85, 82, 79 and 71 of a store's
/// 85) and stayed there until the next rebuild. Not thread-safe: <see cref="PoolRegistry"/> locks around it.</remarks>
internal sealed class PendingTakes
{
    private readonly Dictionary<string, HashSet<IpAddress>> _byPool = new(StringComparer.Ordinal);

    public void Add(string pool, IpAddress address)
    {
        if (!_byPool.TryGetValue(pool, out HashSet<IpAddress>? set))
        {
            _byPool[pool] = set = [];
        }

        set.Add(address);
    }

    /// <summary>True if <paramref name="address"/> was this agent's pick and is no longer.</summary>
    public bool Remove(string pool, IpAddress address) => _byPool.TryGetValue(pool, out HashSet<IpAddress>? set) && set.Remove(address);

    public bool Contains(string pool, IpAddress address) => _byPool.TryGetValue(pool, out HashSet<IpAddress>? set) && set.Contains(address);

    public int Count(string pool) => _byPool.TryGetValue(pool, out HashSet<IpAddress>? set) ? set.Count : 0;

    /// <summary>Marks the picks still in flight in a rebuilt view; drops those the store now lists as held (their
    /// commit or another agent's) and those of pools that are gone.</summary>
    public void CarryInto(IReadOnlyDictionary<string, Core.Allocation.PoolAllocator> allocators)
    {
        foreach ((string pool, HashSet<IpAddress> set) in _byPool)
        {
            if (!allocators.TryGetValue(pool, out Core.Allocation.PoolAllocator? allocator))
            {
                set.Clear();
                continue;
            }

            set.RemoveWhere(address => !allocator.MarkUsed(address));
        }
    }
}
