namespace Underpool.Store;

public enum PoolDeleteStatus
{
    Deleted,
    NotFound,

    /// <summary>Refused: addresses are allocated and force was not given.</summary>
    InUse,
}

/// <summary>The result of <see cref="IIpamStore.DeletePoolAsync"/>; the count is the allocations in use or released.</summary>
public sealed record PoolDeleteOutcome(PoolDeleteStatus Status, long AllocationCount);
