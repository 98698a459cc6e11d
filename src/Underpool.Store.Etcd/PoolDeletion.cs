using Etcdserverpb;
using Mvccpb;

namespace Underpool.Store.Etcd;

/// <summary>Deletes a pool; with force, first releases every attachment holding one of its addresses.</summary>
/// <remarks>etcd caps a transaction at 128 operations, so a forced delete of a big pool is several transactions: each
/// releases whole attachments (never half of a dual-stack one) and the last deletes the pool key once no allocation is
/// left in it. Not atomic, but every step leaves a consistent store: an interrupted delete leaves the pool with fewer
/// allocations, and calling it again finishes the job. Commits racing it into the pool are released in a later round,
/// or refused once the pool key is gone.</remarks>
internal sealed class PoolDeletion(EtcdKv kv, EtcdKeys keys)
{
    /// <summary>Allocations read per round; their attachments (each one read) fit in one transaction's ranges.</summary>
    private const int AllocationsPerRound = 60;

    /// <summary>Rounds without progress before giving up (another agent keeps committing faster than this deletes).</summary>
    private const int IdleRounds = 5;

    public async Task<PoolDeleteOutcome> DeleteAsync(string name, bool force, CancellationToken cancellationToken)
    {
        string poolKey = keys.Pool(name);
        string allocations = keys.PoolAllocations(name);
        string what = $"deleting pool '{name}'";
        long released = 0;
        for (int idle = 0; idle < IdleRounds; idle++)
        {
            TxnResponse read = await kv.ReadAsync(what, [TxnOps.Get(poolKey, keysOnly: true), TxnOps.CountUnder(allocations)], cancellationToken)
                .ConfigureAwait(false);
            if (read.Range(0).Kvs.Count == 0)
            {
                return new PoolDeleteOutcome(PoolDeleteStatus.NotFound, 0);
            }

            long count = read.Range(1).Count;
            if (count == 0)
            {
                var txn = new TxnRequest();
                txn.Compare.Add(TxnOps.ModifiedAt(poolKey, read.Range(0).Kvs[0].ModRevision));
                txn.Compare.Add(TxnOps.NoneUnder(allocations));
                txn.Success.Add(TxnOps.Delete(poolKey));
                txn.Success.Add(TxnOps.Put(keys.PoolSet));
                txn.Success.Add(TxnOps.Put(keys.Revision));
                if ((await kv.TxnAsync(what, EtcdConnection.Kind.Write, txn, cancellationToken).ConfigureAwait(false)).Succeeded)
                {
                    return new PoolDeleteOutcome(PoolDeleteStatus.Deleted, released);
                }

                continue;
            }

            if (!force)
            {
                return new PoolDeleteOutcome(PoolDeleteStatus.InUse, count);
            }

            long round = await ReleaseSomeAsync(allocations, what, cancellationToken).ConfigureAwait(false);
            released += round;
            if (round > 0)
            {
                idle = -1;
            }
        }

        throw new StoreUnavailableException(kv.Connection.Description, what, $"no progress in {IdleRounds} rounds", nothingChanged: false);
    }

    /// <summary>Releases the attachments of the first allocations in the pool, as many whole ones as fit one
    /// transaction; returns how many addresses went (0 when it lost a race and must read again).</summary>
    private async Task<long> ReleaseSomeAsync(string allocations, string what, CancellationToken cancellationToken)
    {
        List<KeyValue> allocationKvs = await kv.ListAsync(what, allocations, keysOnly: false, cancellationToken, limit: AllocationsPerRound)
            .ConfigureAwait(false);
        List<AttachmentKey> attachments = allocationKvs.Select(a => AllocationJson.ReadOne(a.Value).Attachment).Distinct().ToList();
        TxnResponse read = await kv.ReadAsync(what, attachments.Select(a => TxnOps.Get(keys.Attachment(a))), cancellationToken).ConfigureAwait(false);

        var txn = new TxnRequest();
        var writes = new AttachmentWrites(kv, keys);
        long addresses = 0;
        for (int i = 0; i < attachments.Count; i++)
        {
            if (read.Range(i).Kvs.FirstOrDefault() is not { } held)
            {
                continue; // released meanwhile
            }

            List<AllocationRecord> records = AllocationJson.ReadMany(held.Value);
            if (txn.Success.Count + records.Count + 2 > TxnOps.MaxOps)
            {
                break;
            }

            string attachmentKey = keys.Attachment(attachments[i]);
            txn.Compare.Add(TxnOps.ModifiedAt(attachmentKey, held.ModRevision));
            txn.Success.AddRange(writes.DeleteOps(attachmentKey, records));
            addresses += records.Count;
        }

        if (txn.Success.Count == 0)
        {
            return 0;
        }

        txn.Success.Add(TxnOps.Put(keys.Revision));
        return (await kv.TxnAsync(what, EtcdConnection.Kind.Write, txn, cancellationToken).ConfigureAwait(false)).Succeeded ? addresses : 0;
    }
}
