using Underpool.Core.Net;

namespace Underpool.Store;

/// <summary>How an all-or-nothing commit of one attachment's allocations ended.</summary>
public enum CommitStatus
{
    /// <summary>Every record was written.</summary>
    Committed,

    /// <summary>Nothing was written: some addresses were already held (see <see cref="CommitOutcome.Taken"/>).</summary>
    AddressTaken,

    /// <summary>Nothing was written: the attachment already holds addresses (a concurrent or repeated ADD).</summary>
    AttachmentExists,

    /// <summary>Nothing was written: the caller picked from a view that is out of date. A pool is gone or is another
    /// generation, or an address has been reserved since. Catch up and pick again.</summary>
    Stale,
}

/// <summary>The result of <see cref="IIpamStore.TryCommitAsync"/>.</summary>
public sealed record CommitOutcome(
    CommitStatus Status,
    IReadOnlyList<(string Pool, IpAddress Address)> Taken,
    IReadOnlyList<AllocationRecord> Existing)
{
    public static CommitOutcome Committed { get; } = new(CommitStatus.Committed, [], []);

    public static CommitOutcome StaleView { get; } = new(CommitStatus.Stale, [], []);
}
