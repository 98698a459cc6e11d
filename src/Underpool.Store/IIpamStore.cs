using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Store;

/// <summary>Where pools, reserved addresses and allocations live. The agent is its only writer on a node; several
/// agents may share one store (one SQLite file on a host, one etcd cluster across hosts).</summary>
/// <remarks>The store is the truth; the agent's in-memory used sets are hints. Correctness comes from
/// <see cref="TryCommitAsync"/> being a create-if-absent on every (pool, address) and on the attachment, all or
/// nothing, so allocations of different addresses never conflict and an address is never held twice.</remarks>
public interface IIpamStore : IAsyncDisposable
{
    /// <summary>Human-readable name for logs and errors, e.g. "embedded (/var/lib/underpool/underpool.db)".</summary>
    string Description { get; }

    /// <summary>Creates the schema if needed; safe to call from several agents at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Cheap round trip proving the store answers (STATUS, health).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    Task<PoolsSnapshot> ListPoolsAsync(CancellationToken cancellationToken);

    Task<PoolSpec?> GetPoolAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates a pool if the pool set is still at <paramref name="expectedRevision"/> (the one the caller
    /// validated overlaps against) and the name is free.</summary>
    Task<PoolCreateStatus> CreatePoolAsync(PoolSpec pool, long expectedRevision, CancellationToken cancellationToken);

    /// <summary>Replaces a pool's spec if everything <paramref name="guard"/> asks still holds: the pool is of its
    /// generation, the pool set of its revision (when given), and none of its must-be-free addresses is allocated in
    /// the pool. The pool gets a new generation, so commits picked from the old spec are refused as stale; the pool set
    /// gets a new revision, so a create or update checked against the old spec goes stale too. Journals PoolsChanged.</summary>
    Task<PoolUpdateStatus> UpdatePoolAsync(PoolSpec pool, PoolUpdateGuard guard, CancellationToken cancellationToken);

    /// <summary>Deletes a pool; refuses while it holds allocations unless <paramref name="force"/>, which releases
    /// every attachment holding one of them in full (a dual-stack attachment loses its other address too, so no
    /// attachment is left half allocated). The count is of all addresses released.</summary>
    Task<PoolDeleteOutcome> DeletePoolAsync(string name, bool force, CancellationToken cancellationToken);

    Task<IReadOnlyList<IpAddress>> ListReservedAsync(CancellationToken cancellationToken);

    /// <summary>Adds addresses to the reserved set; returns those that were not there before.</summary>
    Task<IReadOnlyList<IpAddress>> AddReservedAsync(IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken);

    /// <summary>Removes addresses from the reserved set; returns those that were there.</summary>
    Task<IReadOnlyList<IpAddress>> RemoveReservedAsync(IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken);

    /// <summary>The allocation of <paramref name="address"/> in <paramref name="pool"/>, or null when it is free: whether a
    /// candidate some host answers for is simply held by one of our own endpoints.</summary>
    Task<AllocationRecord?> GetAllocationAsync(string pool, IpAddress address, CancellationToken cancellationToken);

    /// <summary>The allocations an attachment holds (empty when none): the idempotency check of ADD.</summary>
    Task<IReadOnlyList<AllocationRecord>> GetAttachmentAsync(AttachmentKey attachment, CancellationToken cancellationToken);

    /// <summary>Writes all records of one attachment or none: fails if any (pool, address) is held, the attachment
    /// already holds addresses, or the view the records were picked from is stale (a record's pool is gone or of
    /// another generation, or an address is reserved or quarantined). Every check runs in the same transaction as the write.</summary>
    Task<CommitOutcome> TryCommitAsync(IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken);

    /// <summary>Commits many attachments at once (an import of live allocations): each attachment all or nothing, with
    /// the outcome <see cref="TryCommitAsync"/> would give it if the attachments were committed one after another in
    /// list order (so a later attachment that names an address or an attachment key of an earlier one that committed is
    /// refused). One attachment refused never refuses its neighbours. Journalled like <see cref="TryCommitAsync"/>.</summary>
    /// <remarks>Far fewer store round trips than one commit per attachment: SQLite writes the whole list in one
    /// transaction, etcd packs attachments into transactions of up to its operation limit. A store failing partway
    /// (an exception) may leave the attachments of transactions that committed before it (each attachment whole);
    /// committing the list again answers those with AttachmentExists.</remarks>
    /// <returns>One outcome per attachment, in the order given.</returns>
    Task<IReadOnlyList<CommitOutcome>> TryCommitManyAsync(IReadOnlyList<IReadOnlyList<AllocationRecord>> attachments, CancellationToken cancellationToken);

    /// <summary>Releases every allocation of an attachment; returns what was released (empty when unknown).</summary>
    Task<IReadOnlyList<AllocationRecord>> ReleaseAttachmentAsync(AttachmentKey attachment, CancellationToken cancellationToken);

    /// <summary>Replaces an attachment's records with <paramref name="replacement"/> if what is stored is still exactly
    /// <paramref name="expected"/>; false, and nothing changed, otherwise. The replacement holds the same pools and
    /// addresses; only owner fields change (a static endpoint moving to another container or node, or stopping; the
    /// interface's MAC becoming known), so no used set changes and nothing need be journalled (a backend may journal
    /// the addresses as added again).</summary>
    Task<bool> ReplaceAttachmentAsync(
        IReadOnlyList<AllocationRecord> expected, IReadOnlyList<AllocationRecord> replacement, CancellationToken cancellationToken);

    Task<IReadOnlyList<AllocationRecord>> ListAllocationsAsync(AllocationFilter filter, CancellationToken cancellationToken);

    /// <summary>Allocated addresses per pool name (pools with none are absent).</summary>
    Task<IReadOnlyDictionary<string, long>> CountAllocationsByPoolAsync(CancellationToken cancellationToken);

    /// <summary>Registers <paramref name="name"/> with <paramref name="labels"/> and <paramref name="uplinkMacs"/> (replacing
    /// earlier ones) and marks it alive for <paramref name="ttl"/>; the agent calls this every third of the ttl. Node
    /// records are not journalled: a heartbeat never moves <see cref="CurrentRevisionAsync"/>.</summary>
    Task HeartbeatNodeAsync(
        string name,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyCollection<string> uplinkMacs,
        TimeSpan ttl,
        CancellationToken cancellationToken);

    /// <summary>Every node ever registered, alive or not, ordered by name.</summary>
    Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken cancellationToken);

    /// <summary>Leader election: takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> for
    /// <paramref name="ttl"/>; true when the holder has it now, false while another holder's lease is live. The holder
    /// calls it again well within the ttl to keep it. Not journalled.</summary>
    Task<bool> TryHoldLeaseAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Puts an address in quarantine, or replaces its record (a new answering MAC or time); a quarantined
    /// address is treated like a reserved one: <see cref="TryCommitAsync"/> refuses it as stale. Journals one
    /// <see cref="StoreChangeKind.QuarantineChanged"/> for the address unless the stored record is already equal.
    /// Returns true when the address was not quarantined before.</summary>
    Task<bool> QuarantineAsync(QuarantineRecord record, CancellationToken cancellationToken);

    /// <summary>Every quarantined address, of every pool and node.</summary>
    Task<IReadOnlyList<QuarantineRecord>> ListQuarantineAsync(CancellationToken cancellationToken);

    /// <summary>Frees a quarantined address (it was probed clear); returns false, journalling nothing, when it was not
    /// quarantined. Journals one <see cref="StoreChangeKind.QuarantineChanged"/> otherwise.</summary>
    Task<bool> RemoveQuarantineAsync(IpAddress address, CancellationToken cancellationToken);

    /// <summary>The revision of the newest change. To prime a cache: read this, then list, then apply the changes
    /// after it (applying a change twice is harmless, so the listing racing new changes converges).</summary>
    Task<long> CurrentRevisionAsync(CancellationToken cancellationToken);

    /// <summary>Changes after <paramref name="afterRevision"/>, in order, up to a batch limit the store chooses
    /// (call again with the batch's revision until it returns none).</summary>
    /// <remarks>The changes of one write may share that write's revision (etcd: one transaction, one revision); a batch
    /// never splits a write. The journal is eventually complete: it reaches any revision this store has reported (by
    /// <see cref="CurrentRevisionAsync"/>, here or through another instance on the same backing) within the call
    /// deadline, so a batch may end short of a write that has just committed; read again.</remarks>
    Task<StoreChangeBatch> ReadChangesAsync(long afterRevision, CancellationToken cancellationToken);
}
