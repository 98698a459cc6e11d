using Etcdserverpb;

namespace Underpool.Store.Etcd;

/// <summary><see cref="IIpamStore.TryCommitManyAsync"/> on etcd: attachments packed into as few transactions as etcd's
/// operation limit allows, each transaction all or nothing with the same compares as a single commit.</summary>
/// <remarks>
/// A group whose transaction is refused (one of its attachments collides, or a pool changed) is split in halves and
/// each half tried again, down to single attachments, which take the single-commit path and get its exact outcome: one
/// bad attachment costs a few extra round trips, never its neighbours' commits. Groups go in list order and never hold
/// two attachments that write the same key, so outcomes are those of committing the attachments one after another.
/// A group whose answer was lost is settled attachment by attachment through the single path, which finds its own
/// records already there when the group did commit.
/// </remarks>
internal sealed class BatchCommit(EtcdKv kv, EtcdKeys keys, AttachmentWrites single)
{
    public async Task<IReadOnlyList<CommitOutcome>> CommitAsync(
        IReadOnlyList<IReadOnlyList<AllocationRecord>> attachments, CancellationToken cancellationToken)
    {
        AttachmentKey[] attachmentKeys = CommitRecords.Attachments(attachments);
        var outcomes = new CommitOutcome[attachments.Count];
        var entries = new List<Entry>(attachments.Count);
        for (int i = 0; i < attachments.Count; i++)
        {
            if (AttachmentWrites.Generations(attachments[i]) is { } pools)
            {
                entries.Add(new Entry(i, attachmentKeys[i], attachments[i], pools));
            }
            else
            {
                outcomes[i] = CommitOutcome.StaleView;
            }
        }

        foreach (List<Entry> group in Pack(entries))
        {
            await CommitGroupAsync(group, outcomes, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    /// <summary>Consecutive attachments, as many per group as fit etcd's limits on compares and on operations, a new
    /// group wherever an attachment would write a key the group writes already or compare a pool at another generation.</summary>
    private IEnumerable<List<Entry>> Pack(List<Entry> entries)
    {
        var group = new List<Entry>();
        var written = new HashSet<string>(StringComparer.Ordinal);
        var pools = new Dictionary<string, long>(StringComparer.Ordinal);
        int compares = 0;
        int puts = 1; // the revision marker
        foreach (Entry entry in entries)
        {
            List<string> writes = [keys.Attachment(entry.Key), .. entry.Records.Select(r => keys.Allocation(r.Pool, r.Address))];
            int newPools = entry.Pools.Count(p => !pools.ContainsKey(p.Key));
            bool fits = compares + 1 + newPools + (3 * entry.Records.Count) <= TxnOps.MaxOps
                        && puts + writes.Count <= TxnOps.MaxOps
                        && !writes.Any(written.Contains)

                        && entry.Pools.All(p => !pools.TryGetValue(p.Key, out long generation) || generation == p.Value);
            if (!fits && group.Count > 0)
            {
                yield return group;
                group = [];
                written.Clear();
                pools.Clear();
                compares = 0;
                puts = 1;
                newPools = entry.Pools.Count;
            }

            group.Add(entry);
            written.UnionWith(writes);
            foreach ((string pool, long generation) in entry.Pools)
            {
                pools[pool] = generation;
            }

            compares += 1 + newPools + (3 * entry.Records.Count);
            puts += writes.Count;
        }

        if (group.Count > 0)
        {
            yield return group;
        }
    }

    private async Task CommitGroupAsync(List<Entry> group, CommitOutcome[] outcomes, CancellationToken cancellationToken)
    {
        if (group.Count == 1)
        {
            outcomes[group[0].Index] = await single.TryCommitAsync(group[0].Records, cancellationToken).ConfigureAwait(false);
            return;
        }

        TxnResponse response;
        try
        {
            response = await kv.TxnAsync($"committing {group.Count} attachments", EtcdConnection.Kind.Write, Transaction(group), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StoreUnavailableException e) when (!e.NothingChanged)
        {
            foreach (Entry entry in group)
            {
                outcomes[entry.Index] = await SettleAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (response.Succeeded)
        {
            foreach (Entry entry in group)
            {
                outcomes[entry.Index] = CommitOutcome.Committed;
            }

            return;
        }

        int half = group.Count / 2;
        await CommitGroupAsync(group[..half], outcomes, cancellationToken).ConfigureAwait(false);
        await CommitGroupAsync(group[half..], outcomes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The compares of a single commit for every attachment of the group (each pool once), and its puts.</summary>
    private TxnRequest Transaction(List<Entry> group)
    {
        var txn = new TxnRequest();
        var pools = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Entry entry in group)
        {
            string attachmentKey = keys.Attachment(entry.Key);
            foreach ((string pool, long generation) in entry.Pools)
            {
                pools[pool] = generation;
            }

            txn.Compare.Add(TxnOps.Absent(attachmentKey));
            txn.Compare.AddRange(entry.Records.Select(r => TxnOps.Absent(keys.ReservedAddress(r.Address))));
            txn.Compare.AddRange(entry.Records.Select(r => TxnOps.Absent(keys.QuarantineAddress(r.Address))));
            txn.Compare.AddRange(entry.Records.Select(r => TxnOps.Absent(keys.Allocation(r.Pool, r.Address))));
            txn.Success.AddRange(entry.Records.Select(r => TxnOps.Put(keys.Allocation(r.Pool, r.Address), AllocationJson.Write(r))));
            txn.Success.Add(TxnOps.Put(attachmentKey, AllocationJson.Write(entry.Records)));
        }

        txn.Compare.AddRange(pools.Select(p => TxnOps.ModifiedAt(keys.Pool(p.Key), p.Value)));
        txn.Success.Add(TxnOps.Put(keys.Revision));
        return txn;
    }

    /// <summary>After a group's answer was lost: a single commit of the attachment, which is its own outcome, unless it
    /// finds exactly its own records already there (the group did commit).</summary>
    private async Task<CommitOutcome> SettleAsync(Entry entry, CancellationToken cancellationToken)
    {
        CommitOutcome outcome = await single.TryCommitAsync(entry.Records, cancellationToken).ConfigureAwait(false);
        return outcome.Status == CommitStatus.AttachmentExists && AttachmentReplacement.SameRecords(outcome.Existing, entry.Records)
            ? CommitOutcome.Committed
            : outcome;
    }

    private sealed record Entry(int Index, AttachmentKey Key, IReadOnlyList<AllocationRecord> Records, Dictionary<string, long> Pools);
}
