using Etcdserverpb;
using Mvccpb;
using Underpool.Core.Net;

namespace Underpool.Store.Etcd;

/// <summary>Commit and release of one attachment's allocations, each one etcd transaction.</summary>
internal sealed class AttachmentWrites(EtcdKv kv, EtcdKeys keys)
{
    /// <summary>How often a release re-reads after losing a race (another release, or a static endpoint's records
    /// rewritten by <see cref="ReplaceAsync"/>).</summary>
    private const int ReleaseRounds = 5;

    /// <summary>The attachment's records and its key's mod_revision, or null when it holds nothing.</summary>
    public async Task<(List<AllocationRecord> Records, long Revision)?> GetAsync(
        AttachmentKey attachment, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        KeyValue? stored = await kv.GetAsync($"reading attachment {attachment}", keys.Attachment(attachment), cancellationToken, timeout)
            .ConfigureAwait(false);
        return stored is null ? null : (AllocationJson.ReadMany(stored.Value), stored.ModRevision);
    }

    /// <summary>One transaction: every alloc key and the attachment key absent, every pool of the generation picked from,
    /// no address reserved; then all are written with the marker. Its failure branch reads back what decides the
    /// outcome, so a refused commit costs no second round trip.</summary>
    public async Task<CommitOutcome> TryCommitAsync(IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken)
    {
        AttachmentKey attachment = CommitRecords.SingleAttachment(records);
        if (Generations(records) is not { } pools)
        {
            return CommitOutcome.StaleView;
        }

        string attachmentKey = keys.Attachment(attachment);
        var txn = new TxnRequest();
        txn.Compare.Add(TxnOps.Absent(attachmentKey));
        txn.Compare.AddRange(pools.Select(p => TxnOps.ModifiedAt(keys.Pool(p.Key), p.Value)));
        txn.Compare.AddRange(records.Select(r => TxnOps.Absent(keys.ReservedAddress(r.Address))));
        txn.Compare.AddRange(records.Select(r => TxnOps.Absent(keys.QuarantineAddress(r.Address))));
        txn.Compare.AddRange(records.Select(r => TxnOps.Absent(keys.Allocation(r.Pool, r.Address))));
        txn.Success.AddRange(records.Select(r => TxnOps.Put(keys.Allocation(r.Pool, r.Address), AllocationJson.Write(r))));
        txn.Success.Add(TxnOps.Put(attachmentKey, AllocationJson.Write(records)));
        txn.Success.Add(TxnOps.Put(keys.Revision));

        // Read back in the same order as the compares: attachment, pools, reserved keys, quarantine keys, alloc keys.
        txn.Failure.Add(TxnOps.Get(attachmentKey));
        txn.Failure.AddRange(pools.Keys.Select(p => TxnOps.Get(keys.Pool(p), keysOnly: true)));
        txn.Failure.AddRange(records.Select(r => TxnOps.Get(keys.ReservedAddress(r.Address), keysOnly: true)));
        txn.Failure.AddRange(records.Select(r => TxnOps.Get(keys.QuarantineAddress(r.Address), keysOnly: true)));
        txn.Failure.AddRange(records.Select(r => TxnOps.Get(keys.Allocation(r.Pool, r.Address), keysOnly: true)));

        TxnResponse response;
        try
        {
            response = await kv.TxnAsync($"committing the addresses of {attachment}", EtcdConnection.Kind.Write, txn, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StoreUnavailableException e) when (!e.NothingChanged)
        {
            return await ResolveAmbiguousCommitAsync(attachment, records, e, cancellationToken).ConfigureAwait(false);
        }

        return response.Succeeded ? CommitOutcome.Committed : Refusal(response, pools, records);
    }

    /// <summary>A commit whose earlier attempt (inside a group transaction) lost its answer: a single commit, which is its
    /// own outcome, unless it finds exactly these records already there (the earlier attempt did commit).</summary>
    public async Task<CommitOutcome> SettleAsync(IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken)
    {
        CommitOutcome outcome = await TryCommitAsync(records, cancellationToken).ConfigureAwait(false);
        return outcome.Status == CommitStatus.AttachmentExists && AttachmentReplacement.SameRecords(outcome.Existing, records)
            ? CommitOutcome.Committed
            : outcome;
    }

    /// <summary>The generation each record's pool must be at, by pool; null when the records cannot all be current: no
    /// stored pool has generation 0 (and mod_revision 0 would match a missing key), nor two generations at once.</summary>
    public static Dictionary<string, long>? Generations(IReadOnlyList<AllocationRecord> records)
    {
        Dictionary<string, long> pools = records.GroupBy(r => r.Pool).ToDictionary(g => g.Key, g => g.First().PoolGeneration, StringComparer.Ordinal);
        return records.Any(r => r.PoolGeneration <= 0 || r.PoolGeneration != pools[r.Pool]) ? null : pools;
    }

    /// <summary>Deletes the attachment key and its alloc keys if the attachment is still as read; again when it is not.</summary>
    public async Task<IReadOnlyList<AllocationRecord>> ReleaseAsync(AttachmentKey attachment, CancellationToken cancellationToken)
    {
        string attachmentKey = keys.Attachment(attachment);
        for (int round = 0; round < ReleaseRounds; round++)
        {
            if (await GetAsync(attachment, cancellationToken).ConfigureAwait(false) is not { } held)
            {
                return [];
            }

            var txn = new TxnRequest();
            txn.Compare.Add(TxnOps.ModifiedAt(attachmentKey, held.Revision));
            txn.Success.AddRange(DeleteOps(attachmentKey, held.Records));
            txn.Success.Add(TxnOps.Put(keys.Revision));
            TxnResponse response = await kv.TxnAsync($"releasing the addresses of {attachment}", EtcdConnection.Kind.Write, txn, cancellationToken)
                .ConfigureAwait(false);
            if (response.Succeeded)
            {
                held.Records.Sort(static (a, b) => a.Address.CompareTo(b.Address));
                return held.Records;
            }
        }

        throw new StoreUnavailableException(
            kv.Connection.Description, $"releasing the addresses of {attachment}", $"lost {ReleaseRounds} races in a row", nothingChanged: true);
    }

    /// <summary>Rewrites an attachment's records (owner fields only) if they are still exactly <paramref name="expected"/>:
    /// one transaction guarded on the attachment key's mod_revision, putting it, every alloc key and the marker.</summary>
    public async Task<bool> ReplaceAsync(
        IReadOnlyList<AllocationRecord> expected, IReadOnlyList<AllocationRecord> replacement, CancellationToken cancellationToken)
    {
        AttachmentKey attachment = AttachmentReplacement.Validate(expected, replacement);
        if (await GetAsync(attachment, cancellationToken).ConfigureAwait(false) is not { } held
            || !AttachmentReplacement.SameRecords(held.Records, expected))
        {
            return false;
        }

        string attachmentKey = keys.Attachment(attachment);
        var txn = new TxnRequest();
        txn.Compare.Add(TxnOps.ModifiedAt(attachmentKey, held.Revision));
        txn.Success.Add(TxnOps.Put(attachmentKey, AllocationJson.Write(replacement)));
        txn.Success.AddRange(replacement.Select(r => TxnOps.Put(keys.Allocation(r.Pool, r.Address), AllocationJson.Write(r))));
        txn.Success.Add(TxnOps.Put(keys.Revision));
        TxnResponse response = await kv.TxnAsync($"rewriting the owner of {attachment}", EtcdConnection.Kind.Write, txn, cancellationToken)
            .ConfigureAwait(false);
        return response.Succeeded;
    }

    /// <summary>Deletes of an attachment key and the alloc keys of its records.</summary>
    public IEnumerable<RequestOp> DeleteOps(string attachmentKey, IEnumerable<AllocationRecord> records) =>
        records.Select(r => TxnOps.Delete(keys.Allocation(r.Pool, r.Address))).Prepend(TxnOps.Delete(attachmentKey));

    /// <summary>Why a commit was refused, in the order the SQLite store decides it: the attachment already holds
    /// addresses, then a stale view (pool gone or another generation, an address reserved or quarantined), then
    /// addresses taken.</summary>
    private static CommitOutcome Refusal(TxnResponse response, Dictionary<string, long> pools, IReadOnlyList<AllocationRecord> records)
    {
        RangeResponse attachment = response.Range(0);
        if (attachment.Kvs.Count > 0)
        {
            return new CommitOutcome(CommitStatus.AttachmentExists, [], AllocationJson.ReadMany(attachment.Kvs[0].Value));
        }

        int index = 1;
        foreach (long generation in pools.Values)
        {
            RangeResponse pool = response.Range(index++);
            if (pool.Kvs.Count == 0 || pool.Kvs[0].ModRevision != generation)
            {
                return CommitOutcome.StaleView;
            }
        }

        // One reserved key, then one quarantine key, per record.
        int guards = records.Count * 2;
        if (Enumerable.Range(index, guards).Any(i => response.Range(i).Kvs.Count > 0))
        {
            return CommitOutcome.StaleView;
        }

        index += guards;

        List<(string Pool, IpAddress Address)> taken = records.Where(_ => response.Range(index++).Kvs.Count > 0)
            .Select(r => (r.Pool, r.Address))
            .ToList();
        return taken.Count > 0
            ? new CommitOutcome(CommitStatus.AddressTaken, taken, [])
            : throw new InvalidOperationException("etcd refused a commit whose every condition reads back as met");
    }

    /// <summary>The commit was sent but its answer lost (deadline, leader gone): whether it happened decides between
    /// telling the caller it did and telling it nothing changed. One linearizable read of the attachment settles it: it
    /// is served only by a leader that has committed its term's first entry, so a commit still in the log shows.
    /// It gets two call timeouts, as the usual cause (a dead leader) needs an election before anyone can answer.</summary>
    private async Task<CommitOutcome> ResolveAmbiguousCommitAsync(
        AttachmentKey attachment, IReadOnlyList<AllocationRecord> records, StoreUnavailableException failure, CancellationToken cancellationToken)
    {
        (List<AllocationRecord> Records, long Revision)? held;
        try
        {
            held = await GetAsync(attachment, cancellationToken, 2 * kv.Connection.CallTimeout).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            throw failure;
        }

        if (held is not { } found)
        {
            throw new StoreUnavailableException(
                kv.Connection.Description, $"committing the addresses of {attachment}", failure.InnerException?.Message ?? failure.Message,
                nothingChanged: true, failure);
        }

        bool ours = found.Records.Count == records.Count && found.Records.All(records.Contains);
        return ours ? CommitOutcome.Committed : new CommitOutcome(CommitStatus.AttachmentExists, [], found.Records);
    }
}
