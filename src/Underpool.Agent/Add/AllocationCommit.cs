using Microsoft.Extensions.Logging;
using Underpool.Agent.Nodes;
using Underpool.Agent.Observability;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Add;

/// <summary>Writes an ADD's screened candidates to the store in one all-or-nothing commit, and says what came of it.</summary>
/// <remarks>The store's create-if-absent on the attachment is what makes ADD idempotent: a repeated or concurrent ADD of
/// the same attachment is answered with what it holds, never with new addresses (a peer's multi-NIC retry drained
/// pools by taking a new address each time).</remarks>
internal sealed partial class AllocationCommit(
    IIpamStore store, PoolRegistry registry, AgentMetrics metrics, LocalNode node, TimeProvider clock, ILogger<AllocationCommit> log)
{
    public async Task<CommitResult> CommitAsync(AddIntent want, CandidateLease lease, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(want);
        ArgumentNullException.ThrowIfNull(lease);
        IReadOnlyList<Candidate> candidates = lease.Held;
        List<AllocationRecord> records = ToRecords(want, candidates);

        // A throw here wrote nothing (the commit is all or nothing): the lease's owner gives the candidates back.
        CommitOutcome outcome = await store.TryCommitAsync(records, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case CommitStatus.Committed:
                lease.Committed();
                foreach (AllocationRecord record in records)
                {
                    metrics.Allocated(record.Pool);
                }

                LogAllocated(want.Key, string.Join(", ", records.Select(r => $"{r.Address} ({r.Pool})")), attempt);
                return CommitResult.Answer(records);

            case CommitStatus.AttachmentExists:
                // A repeated ADD, or a concurrent one that won: answer with what the attachment holds.
                LogRepeatedAdd(want.Key, string.Join(", ", outcome.Existing.Select(e => e.Address)));
                return CommitResult.Answer(outcome.Existing);

            case CommitStatus.Stale:
                // A pool changed or an address was reserved since the last catch-up: nothing was written. The view gets
                // the candidates back before it catches up, so it ends where the store is.
                lease.GiveBackAll();
                LogStaleCommit(want.Key, attempt);
                await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                return CommitResult.Again;

            default:
                return await CollidedAsync(want, lease, candidates, outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Another agent holds some candidates: they stay used in the view, the rest go back, and the ADD picks
    /// again, unless one of them was an exact address asked for, which no other may replace.</summary>
    private async Task<CommitResult> CollidedAsync(
        AddIntent want, CandidateLease lease, IReadOnlyList<Candidate> candidates, CommitOutcome outcome, CancellationToken cancellationToken)
    {
        var taken = outcome.Taken.ToHashSet();
        lease.Collided(taken);
        metrics.Collided(taken.Count);
        if (candidates.FirstOrDefault(c => taken.Contains((c.Pool.Name, c.Address)) && want.Requested.Values.Contains(c.Address)) is { Pool: not null } lost)
        {
            return CommitResult.Refused(AddFailures.RequestedTaken(lost.Address, lost.Pool));
        }

        await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        return CommitResult.Again;
    }

    private List<AllocationRecord> ToRecords(AddIntent want, IReadOnlyList<Candidate> candidates)
    {
        AttachmentIdentity who = want.Request.Attachment;
        DateTimeOffset now = clock.GetUtcNow();
        return candidates.Select(c => new AllocationRecord
        {
            Pool = c.Pool.Name,
            PoolGeneration = c.Pool.Generation,
            Address = c.Address,
            Attachment = want.Key,
            Node = node.Name,
            NetNs = who.NetNs,
            PodNamespace = who.PodNamespace,
            PodName = who.PodName,
            PodUid = who.PodUid,
            CreatedAt = now,
            Static = want.IsStatic,
            RuntimeContainerId = want.IsStatic ? who.ContainerId : null,
            OwnerKind = want.Owner?.Kind,
            OwnerName = want.Owner?.Name,
        }).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "allocated {Addresses} to {Attachment} on attempt {Attempt}")]
    private partial void LogAllocated(AttachmentKey attachment, string addresses, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "ADD for {Attachment}: pools or reserved addresses changed before attempt {Attempt} committed; picking again")]
    private partial void LogStaleCommit(AttachmentKey attachment, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "ADD repeated for {Attachment}: returning its addresses {Addresses}")]
    private partial void LogRepeatedAdd(AttachmentKey attachment, string addresses);
}
