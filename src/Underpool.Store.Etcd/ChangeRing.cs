namespace Underpool.Store.Etcd;

/// <summary>The newest changes in revision order, at most a capacity of them; older ones fall off whole revisions at
/// a time. Not thread-safe: <see cref="ChangeFeed"/> holds its lock around every use.</summary>
internal sealed class ChangeRing
{
    private readonly int _capacity;
    private readonly List<StoreChange> _changes = [];

    public ChangeRing(int capacity, long start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        Start = start;
    }

    /// <summary>The ring holds every change after this revision (and none before).</summary>
    public long Start { get; private set; }

    public int Count => _changes.Count;

    /// <summary>Forgets everything: the history from <paramref name="start"/> on is all that is known.</summary>
    public void Reset(long start)
    {
        _changes.Clear();
        Start = start;
    }

    public void Append(IEnumerable<StoreChange> changes)
    {
        _changes.AddRange(changes);
        if (_changes.Count <= _capacity)
        {
            return;
        }

        // Drop down to the capacity and then to the end of that revision, so no write is ever half in the ring.
        int drop = _changes.Count - _capacity;
        while (drop < _changes.Count && _changes[drop].Revision == _changes[drop - 1].Revision)
        {
            drop++;
        }

        Start = _changes[drop - 1].Revision;
        _changes.RemoveRange(0, drop);
    }

    /// <summary>The changes after <paramref name="after"/>, at most about <paramref name="limit"/> of them: a batch ends
    /// at the end of a revision, so the changes of one write never split across batches.</summary>
    public List<StoreChange> After(long after, int limit)
    {
        int first = FirstAfter(after);
        int end = Math.Min(_changes.Count, first + limit);
        while (end < _changes.Count && end > first && _changes[end].Revision == _changes[end - 1].Revision)
        {
            end++;
        }

        return _changes.GetRange(first, end - first);
    }

    /// <summary>The index of the first change with a revision above <paramref name="after"/> (binary search).</summary>
    private int FirstAfter(long after)
    {
        int low = 0;
        int high = _changes.Count;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (_changes[middle].Revision <= after)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
