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
        var entries = new List<CommitEntry>(attachments.Count);
        for (int i = 0; i < attachments.Count; i++)
        {
            if (AttachmentWrites.Generations(attachments[i]) is { } pools)
            {
                entries.Add(new CommitEntry(i, attachmentKeys[i], attachments[i], pools));
            }
            else
            {
                outcomes[i] = CommitOutcome.StaleView;
            }
        }

        foreach (List<CommitEntry> group in Pack(entries))
        {
            await CommitGroupAsync(group, outcomes, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    /// <summary>Consecutive attachments, as many per group as one <see cref="GroupTransaction"/> takes.</summary>
    private IEnumerable<List<CommitEntry>> Pack(List<CommitEntry> entries)
    {
        var group = new GroupTransaction(keys);
        foreach (CommitEntry entry in entries)
        {
            if (!group.TryAdd(entry))
            {
                yield return [.. group.Entries];
                group = new GroupTransaction(keys);
                group.TryAdd(entry);
            }
        }

        if (group.Entries.Count > 0)
        {
            yield return [.. group.Entries];
        }
    }

    private async Task CommitGroupAsync(List<CommitEntry> group, CommitOutcome[] outcomes, CancellationToken cancellationToken)
    {
        if (group.Count == 1)
        {
            outcomes[group[0].Index] = await single.TryCommitAsync(group[0].Records, cancellationToken).ConfigureAwait(false);
            return;
        }

        TxnResponse response;
        try
        {
            TxnRequest txn = GroupTransaction.Of(keys, group).Build();
            response = await kv.TxnAsync($"committing {group.Count} attachments", EtcdConnection.Kind.Write, txn, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StoreUnavailableException e) when (!e.NothingChanged)
        {
            foreach (CommitEntry entry in group)
            {
                outcomes[entry.Index] = await single.SettleAsync(entry.Records, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (response.Succeeded)
        {
            foreach (CommitEntry entry in group)
            {
                outcomes[entry.Index] = CommitOutcome.Committed;
            }

            return;
        }

        int half = group.Count / 2;
        await CommitGroupAsync(group[..half], outcomes, cancellationToken).ConfigureAwait(false);
        await CommitGroupAsync(group[half..], outcomes, cancellationToken).ConfigureAwait(false);
    }
}
