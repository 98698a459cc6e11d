namespace Underpool.Core.Allocation;

/// <summary>The used set of a pool too large for a bitmap (an IPv6 /64): hash sets of the used and blocked indices,
/// so memory follows what is used, never the size of the pool.</summary>
/// <remarks>Finding a free index probes forward from the cursor. Such a pool is nearly empty (a /64 holds 2^64
/// addresses), and next-fit leaves the cursor past what it handed out, so a probe is expected O(1); an index
/// another agent used is skipped at most once per lap of the cursor, and a lap of a /64 never ends.</remarks>
internal sealed class SparseIndexSet : IIndexSet
{
    private readonly UInt128 _count;
    private readonly HashSet<UInt128> _used = [];
    private readonly HashSet<UInt128> _blocked = [];

    // |used ∪ blocked|, so a full pool is known without probing all of it.
    private UInt128 _unavailable;

    public SparseIndexSet(UInt128 count) => _count = count;

    public long UsedCount => _used.Count;

    public bool TryTake(UInt128 cursor, out UInt128 index)
    {
        if (_unavailable >= _count)
        {
            index = 0;
            return false;
        }

        // Terminates: at least one index is free and the probe wraps round.
        UInt128 i = cursor;
        while (_used.Contains(i) || _blocked.Contains(i))
        {
            i = i + 1 == _count ? 0 : i + 1;
        }

        _used.Add(i);
        _unavailable++;
        index = i;
        return true;
    }

    public bool MarkUsed(UInt128 index)
    {
        if (!_used.Add(index))
        {
            return false;
        }

        if (!_blocked.Contains(index))
        {
            _unavailable++;
        }

        return true;
    }

    public bool Release(UInt128 index)
    {
        if (!_used.Remove(index))
        {
            return false;
        }

        if (!_blocked.Contains(index))
        {
            _unavailable--;
        }

        return true;
    }

    public bool IsUsed(UInt128 index) => _used.Contains(index);

    public bool IsBlocked(UInt128 index) => _blocked.Contains(index);

    public void Block(UInt128 index)
    {
        if (_blocked.Add(index) && !_used.Contains(index))
        {
            _unavailable++;
        }
    }

    public void Unblock(UInt128 index)
    {
        if (_blocked.Remove(index) && !_used.Contains(index))
        {
            _unavailable--;
        }
    }
}
