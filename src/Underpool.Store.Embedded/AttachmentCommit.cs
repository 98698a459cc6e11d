using Underpool.Core.Net;

namespace Underpool.Store.Embedded;

/// <summary>One attachment's all-or-nothing commit inside a write session: the checks and writes that
/// <see cref="SqliteIpamStore.TryCommitAsync"/> and <see cref="SqliteIpamStore.TryCommitManyAsync"/> share.</summary>
/// <remarks>Everything runs under the session's write lock, so nobody else writes between a check and the write it
/// guards: every address is checked first and only then inserted, and a refused attachment leaves nothing to undo
/// (a batch goes on with its next attachment in the same transaction).</remarks>
internal sealed class AttachmentCommit(StoreSession session, ChangeJournal journal)
{
    // Pool generations read in this session: no pool can change while it holds the write lock.
    private readonly Dictionary<string, long?> _generations = new(StringComparer.Ordinal);

    public async Task<CommitOutcome> WriteAsync(AttachmentKey attachment, IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken)
    {
        // A concurrent ADD of the same attachment in another agent either committed before this read or waits until
        // this transaction ends.
        List<AllocationRecord> existing = await AllocationRows.GetAttachmentAsync(session, attachment, cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            return new CommitOutcome(CommitStatus.AttachmentExists, [], existing);
        }

        // The caller picked from its view; a pool deleted or re-created, or an address reserved or quarantined since,
        // must not be recorded (an address outside the pool it is filed under would later be handed out again).
        foreach (AllocationRecord record in records)
        {
            if (await GenerationAsync(record.Pool, cancellationToken).ConfigureAwait(false) != record.PoolGeneration
                || await ReservedRows.ContainsAsync(session, record.Address, cancellationToken).ConfigureAwait(false)
                || await QuarantineRows.ContainsAsync(session, record.Address, cancellationToken).ConfigureAwait(false))
            {
                return CommitOutcome.StaleView;
            }
        }

        List<(string Pool, IpAddress Address)> taken = await AllocationRows.HeldAsync(session, records.Select(r => (r.Pool, r.Address)), cancellationToken).ConfigureAwait(false);
        if (taken.Count > 0)
        {
            return new CommitOutcome(CommitStatus.AddressTaken, taken, []);
        }

        if ((await AllocationRows.InsertAsync(session, records, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            throw new InvalidOperationException($"an address of {attachment} was taken under the write lock after it was checked free");
        }

        foreach (AllocationRecord record in records)
        {
            await journal.AppendAsync(session, StoreChangeKind.AllocationAdded, record.Pool, record.Address, cancellationToken).ConfigureAwait(false);
        }

        return CommitOutcome.Committed;
    }

    private async Task<long?> GenerationAsync(string pool, CancellationToken cancellationToken)
    {
        if (!_generations.TryGetValue(pool, out long? generation))
        {
            generation = await PoolRows.GenerationAsync(session, pool, cancellationToken).ConfigureAwait(false);
            _generations[pool] = generation;
        }

        return generation;
    }
}
