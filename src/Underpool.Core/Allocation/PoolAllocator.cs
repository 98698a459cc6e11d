using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Core.Allocation;

/// <summary>The in-memory used set of one pool: picks a free address in O(1) amortised whatever the pool's size.</summary>
/// <remarks>Not thread-safe: the owner locks around it. Addresses are numbered by their place in the pool's
/// effective ranges; pools of up to 2^24 addresses use a summarised bitmap, larger ones (an IPv6 /64, which is
/// never enumerated) hash sets whose memory follows the used count. Allocation is next-fit, like host-local's
/// round robin, so a released address is handed out again only after the others: a cool-down for crash-looping
/// pods whose old address may still sit in a neighbour's ARP cache.</remarks>
public sealed class PoolAllocator
{
    private readonly RangeIndex _index;
    private readonly IIndexSet _set;

    // Excluded addresses and the gateway, as indices: blocked for the pool's life.
    private readonly HashSet<UInt128> _fixedBlocked;

    // Reserved addresses inside the ranges that are not already fixed-blocked; swapped with _scratch on change
    // so replacing the reserved list allocates nothing once the sets have grown.
    private HashSet<UInt128> _reserved = [];
    private HashSet<UInt128> _scratch = [];
    private UInt128 _cursor;

    public PoolAllocator(PoolSpec pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        Pool = pool;
        _index = new RangeIndex(PoolValidator.EffectiveRanges(pool), pool.Family);
        _set = _index.Count <= BitmapIndexSet.MaxCount
            ? new BitmapIndexSet((int)_index.Count)
            : new SparseIndexSet(_index.Count);
        _fixedBlocked = FixedBlocked(pool, _index);
        foreach (UInt128 blocked in _fixedBlocked)
        {
            _set.Block(blocked);
        }

        Capacity = _index.Count - (uint)_fixedBlocked.Count;
    }

    public PoolSpec Pool { get; }

    /// <summary>Addresses the pool can ever hand out: its effective ranges less excluded addresses and the gateway.
    /// Reserved addresses are not subtracted: they change at run time.</summary>
    public UInt128 Capacity { get; }

    /// <summary>Addresses currently marked used (by this allocator or recorded from elsewhere).</summary>
    public long UsedCount => _set.UsedCount;

    /// <summary>Takes the next free address at or after the cursor, wrapping round once, and moves the cursor past it;
    /// false when every address is used, excluded, the gateway or reserved.</summary>
    public bool TryTake(out IpAddress address)
    {
        if (!_set.TryTake(_cursor, out UInt128 index))
        {
            address = default;
            return false;
        }

        _cursor = index + 1 == _index.Count ? 0 : index + 1;
        address = _index.AddressAt(index);
        return true;
    }

    /// <summary>Moves the next-fit cursor to <paramref name="seed"/> modulo the pool's size. Agents on different nodes
    /// sharing one pool start at different places (see <see cref="CursorSeed"/>), so they do not all pick the same
    /// next address and collide in the store on every ADD.</summary>
    public void StartAt(ulong seed) => _cursor = seed % _index.Count;

    /// <summary>Carries the next-fit cursor over from the allocator this one replaces (a rebuilt view), so a just
    /// released address keeps its cool-down; ignored unless both are the same generation of the same pool.</summary>
    public void ContinueFrom(PoolAllocator previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        if (previous.Pool.Name == Pool.Name && previous.Pool.Generation == Pool.Generation && previous._cursor < _index.Count)
        {
            _cursor = previous._cursor;
        }
    }

    /// <summary>Records an address held elsewhere (another agent, a store listing). True if it was not already
    /// marked; false, and ignored, when it is outside the pool's effective ranges.</summary>
    public bool MarkUsed(IpAddress address) => _index.TryGetIndex(address, out UInt128 index) && _set.MarkUsed(index);

    /// <summary>True if the address was marked used.</summary>
    public bool Release(IpAddress address) => _index.TryGetIndex(address, out UInt128 index) && _set.Release(index);

    public bool IsUsed(IpAddress address) => _index.TryGetIndex(address, out UInt128 index) && _set.IsUsed(index);

    /// <summary>Replaces the reserved addresses (the cluster-wide list; those outside this pool are ignored).</summary>
    public void SetReserved(IReadOnlyCollection<IpAddress> reserved)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        _scratch.Clear();
        foreach (IpAddress address in reserved)
        {
            if (_index.TryGetIndex(address, out UInt128 index) && !_fixedBlocked.Contains(index))
            {
                _scratch.Add(index);
            }
        }

        foreach (UInt128 index in _reserved)
        {
            if (!_scratch.Contains(index))
            {
                _set.Unblock(index);
            }
        }

        foreach (UInt128 index in _scratch)
        {
            if (!_reserved.Contains(index))
            {
                _set.Block(index);
            }
        }

        (_reserved, _scratch) = (_scratch, _reserved);
    }

    /// <summary>True when the address is one this pool may hand out: inside its effective ranges and neither excluded,
    /// the gateway nor reserved. Whether it is used right now is not considered.</summary>
    public bool CanHandOut(IpAddress address) => _index.TryGetIndex(address, out UInt128 index) && !_set.IsBlocked(index);

    /// <summary>Addresses inside the effective ranges that the pool never hands out: excluded ones and the gateway.</summary>
    public int ExcludedOrGatewayCount => _fixedBlocked.Count;

    /// <summary>True when <paramref name="address"/> counts in <see cref="Capacity"/> (inside the ranges, neither excluded
    /// nor the gateway) and is not used: free, unless the reserved list or a quarantine blocks it.</summary>
    public bool IsIdleInCapacity(IpAddress address) =>
        _index.TryGetIndex(address, out UInt128 index) && !_fixedBlocked.Contains(index) && !_set.IsUsed(index);

    /// <summary><see cref="Capacity"/> without building the used set, for validation.</summary>
    internal static UInt128 CapacityOf(PoolSpec pool)
    {
        var index = new RangeIndex(PoolValidator.EffectiveRanges(pool), pool.Family);
        return index.Count - (uint)FixedBlocked(pool, index).Count;
    }

    private static HashSet<UInt128> FixedBlocked(PoolSpec pool, RangeIndex index)
    {
        var blocked = new HashSet<UInt128>();
        foreach (IpAddress excluded in pool.Exclude)
        {
            if (index.TryGetIndex(excluded, out UInt128 i))
            {
                blocked.Add(i);
            }
        }

        if (pool.Gateway is { } gateway && index.TryGetIndex(gateway, out UInt128 g))
        {
            blocked.Add(g);
        }

        return blocked;
    }
}
