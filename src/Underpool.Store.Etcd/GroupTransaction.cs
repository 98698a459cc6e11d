using Etcdserverpb;

namespace Underpool.Store.Etcd;

/// <summary>One etcd transaction committing several attachments all or nothing, each with the compares its single
/// commit has (<see cref="AttachmentWrites.TryCommitAsync"/>), and what may go into one: etcd's limits on compares and
/// operations, no key written twice (etcd refuses that), every pool compared at one generation.</summary>
internal sealed class GroupTransaction(EtcdKeys keys)
{
    private readonly List<CommitEntry> _entries = [];
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pools = new(StringComparer.Ordinal);
    private int _compares;
    private int _puts = 1; // the revision marker

    public IReadOnlyList<CommitEntry> Entries => _entries;

    /// <summary>A transaction of entries known to fit together (part of a group that did).</summary>
    public static GroupTransaction Of(EtcdKeys keys, IEnumerable<CommitEntry> entries)
    {
        var group = new GroupTransaction(keys);
        foreach (CommitEntry entry in entries)
        {
            if (!group.TryAdd(entry))
            {
                throw new InvalidOperationException($"attachment {entry.Key} does not fit a group it was packed into");
            }
        }

        return group;
    }

    /// <summary>Adds the entry if the transaction can take it; an empty one takes any entry.</summary>
    public bool TryAdd(CommitEntry entry)
    {
        List<string> writes = [keys.Attachment(entry.Key), .. entry.Records.Select(r => keys.Allocation(r.Pool, r.Address))];
        int newPools = entry.Pools.Count(p => !_pools.ContainsKey(p.Key));
        int compares = _compares + 1 + newPools + (3 * entry.Records.Count);
        bool fits = compares <= TxnOps.MaxOps
                    && _puts + writes.Count <= TxnOps.MaxOps
                    && !writes.Any(_written.Contains)
                    && entry.Pools.All(p => !_pools.TryGetValue(p.Key, out long generation) || generation == p.Value);
        if (!fits && _entries.Count > 0)
        {
            return false;
        }

        _entries.Add(entry);
        _written.UnionWith(writes);
        foreach ((string pool, long generation) in entry.Pools)
        {
            _pools[pool] = generation;
        }

        _compares = compares;
        _puts += writes.Count;
        return true;
    }

    /// <summary>The compares of a single commit for every entry (each pool once), and its puts; no failure branch: a
    /// refused group is decided entry by entry.</summary>
    public TxnRequest Build()
    {
        var txn = new TxnRequest();
        foreach (CommitEntry entry in _entries)
        {
            string attachmentKey = keys.Attachment(entry.Key);
            txn.Compare.Add(TxnOps.Absent(attachmentKey));
            txn.Compare.AddRange(entry.Records.Select(r => TxnOps.Absent(keys.ReservedAddress(r.Address))));
            txn.Compare.AddRange(entry.Records.Select(r => TxnOps.Absent(keys.QuarantineAddress(r.Address))));
            txn.Compare.AddRange(entry.Records.Select(r => TxnOps.Absent(keys.Allocation(r.Pool, r.Address))));
            txn.Success.AddRange(entry.Records.Select(r => TxnOps.Put(keys.Allocation(r.Pool, r.Address), AllocationJson.Write(r))));
            txn.Success.Add(TxnOps.Put(attachmentKey, AllocationJson.Write(entry.Records)));
        }

        txn.Compare.AddRange(_pools.Select(p => TxnOps.ModifiedAt(keys.Pool(p.Key), p.Value)));
        txn.Success.Add(TxnOps.Put(keys.Revision));
        return txn;
    }
}
