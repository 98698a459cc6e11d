using System.Numerics;

namespace Underpool.Core.Allocation;

/// <summary>The used set of a pool of at most <see cref="MaxCount"/> addresses: one bit per address, with a
/// 64-ary tree of "word full" summaries on top so finding the next free bit is O(log64 n), not a scan.</summary>
/// <remarks>At 2^24 addresses the tree is four levels deep, so a search touches at most ~9 words however full
/// the pool is; a /24 costs 32 bytes of used bits.</remarks>
internal sealed class BitmapIndexSet : IIndexSet
{
    /// <summary>Above this a pool gets a <see cref="SparseIndexSet"/>: a bitmap would cost 2 MiB per used/blocked
    /// array and more, and such pools are far from full in practice.</summary>
    public const int MaxCount = 1 << 24;

    private readonly ulong[] _used;

    // Excluded, gateway and reserved bits, plus the padding past the last address, so searches never return it.
    private readonly ulong[] _blocked;

    // _full[0] has one bit per word of _used/_blocked, set when every bit of (used | blocked) in that word is set;
    // _full[k] has one bit per word of _full[k - 1]. The last level is a single word. Bits past the end of the level
    // below are set, so a search never descends into words that do not exist.
    private readonly ulong[][] _full;
    private long _usedCount;

    public BitmapIndexSet(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        int words = Math.Max(1, (count + 63) >> 6);
        _used = new ulong[words];
        _blocked = new ulong[words];
        if ((count & 63) != 0 || count == 0)
        {
            _blocked[words - 1] = ulong.MaxValue << (count & 63);
        }

        var levels = new List<ulong[]>();
        int below = words;
        do
        {
            int length = (below + 63) >> 6;
            var level = new ulong[length];
            if ((below & 63) != 0)
            {
                level[length - 1] = ulong.MaxValue << (below & 63);
            }

            levels.Add(level);
            below = length;
        }
        while (below > 1);

        _full = [.. levels];
        Refresh(words - 1);
    }

    public long UsedCount => _usedCount;

    public bool TryTake(UInt128 cursor, out UInt128 index)
    {
        int found = FindFree((int)cursor);

        // Wrap round once: next-fit, so a just-released address waits until the cursor comes round again.
        if (found < 0 && cursor != 0)
        {
            found = FindFree(0);
        }

        if (found < 0)
        {
            index = 0;
            return false;
        }

        _used[found >> 6] |= 1UL << found;
        _usedCount++;
        Refresh(found >> 6);
        index = (uint)found;
        return true;
    }

    public bool MarkUsed(UInt128 index)
    {
        int i = (int)index;
        ulong bit = 1UL << i;
        if ((_used[i >> 6] & bit) != 0)
        {
            return false;
        }

        _used[i >> 6] |= bit;
        _usedCount++;
        Refresh(i >> 6);
        return true;
    }

    public bool Release(UInt128 index)
    {
        int i = (int)index;
        ulong bit = 1UL << i;
        if ((_used[i >> 6] & bit) == 0)
        {
            return false;
        }

        _used[i >> 6] &= ~bit;
        _usedCount--;
        Refresh(i >> 6);
        return true;
    }

    // Shifts by an int use only its low 6 bits for a ulong, so 1UL << i is the bit of i within its word.
    public bool IsUsed(UInt128 index) => (_used[(int)index >> 6] & (1UL << (int)index)) != 0;

    public bool IsBlocked(UInt128 index) => (_blocked[(int)index >> 6] & (1UL << (int)index)) != 0;

    public void Block(UInt128 index)
    {
        int i = (int)index;
        _blocked[i >> 6] |= 1UL << i;
        Refresh(i >> 6);
    }

    public void Unblock(UInt128 index)
    {
        int i = (int)index;
        _blocked[i >> 6] &= ~(1UL << i);
        Refresh(i >> 6);
    }

    /// <summary>The first index at or after <paramref name="from"/> that is neither used nor blocked, or -1.</summary>
    private int FindFree(int from)
    {
        int word = from >> 6;
        ulong free = ~(_used[word] | _blocked[word]) & (ulong.MaxValue << from);
        if (free != 0)
        {
            return (word << 6) | BitOperations.TrailingZeroCount(free);
        }

        // Climb: at each coarser level look for a not-full entry after the one we came from.
        int position = word + 1;
        int level = 0;
        while (true)
        {
            ulong[] summary = _full[level];
            int w = position >> 6;
            if (w >= summary.Length)
            {
                return -1;
            }

            ulong notFull = ~summary[w] & (ulong.MaxValue << position);
            if (notFull != 0)
            {
                position = (w << 6) | BitOperations.TrailingZeroCount(notFull);
                break;
            }

            if (level == _full.Length - 1)
            {
                return -1;
            }

            position = w + 1;
            level++;
        }

        // Descend: `position` names a word of the level below that has a free bit; follow the first one down.
        while (level > 0)
        {
            level--;
            position = (position << 6) | BitOperations.TrailingZeroCount(~_full[level][position]);
        }

        return (position << 6) | BitOperations.TrailingZeroCount(~(_used[position] | _blocked[position]));
    }

    /// <summary>Brings the summaries up to date after a change in leaf word <paramref name="word"/>, stopping at the
    /// first level whose bit does not change (usually the first).</summary>
    private void Refresh(int word)
    {
        bool full = (_used[word] | _blocked[word]) == ulong.MaxValue;
        int position = word;
        foreach (ulong[] level in _full)
        {
            ref ulong summary = ref level[position >> 6];
            ulong bit = 1UL << position;
            if (((summary & bit) != 0) == full)
            {
                return;
            }

            summary = full ? summary | bit : summary & ~bit;
            full = summary == ulong.MaxValue;
            position >>= 6;
        }
    }
}
