using Underpool.Core.Net;

namespace Underpool.Store;

public enum StoreChangeKind
{
    AllocationAdded,
    AllocationRemoved,

    /// <summary>A pool was created, changed or deleted: re-read pools.</summary>
    PoolsChanged,

    /// <summary>The reserved set changed: re-read it.</summary>
    ReservedChanged,

    /// <summary>An address went into quarantine or came out (<see cref="StoreChange.Address"/>): re-read the quarantine.</summary>
    /// <remarks>A kind of its own rather than <see cref="ReservedChanged"/>: both block allocation, but a reader of
    /// the journal that only knows reserved addresses must not be sent re-reading the reserved set for nothing.</remarks>
    QuarantineChanged,
}

/// <summary>One change in the store, in revision order; the agent's in-memory caches follow these.</summary>
/// <remarks>Several changes of one write may carry the same revision (that write's); revisions never go down.</remarks>
public sealed record StoreChange(long Revision, StoreChangeKind Kind, string? Pool, IpAddress? Address);

/// <summary>Changes after a revision. <see cref="ResetRequired"/> means the history no longer reaches back that
/// far (or the store was replaced): the reader must prime its caches from scratch.</summary>
public sealed record StoreChangeBatch(IReadOnlyList<StoreChange> Changes, long Revision, bool ResetRequired);
