using Underpool.Core.Net;

namespace Underpool.Store;

/// <summary>What must still be true for <see cref="IIpamStore.UpdatePoolAsync"/> to replace a pool's spec: all of it is
/// checked in the update's own transaction, so nothing can slip in between the caller's checks and the write.</summary>
/// <param name="Generation">The pool's generation the new spec was derived from.</param>
public sealed record PoolUpdateGuard(long Generation)
{
    /// <summary>The most <see cref="MustBeFree"/> addresses one update may name (etcd caps a transaction's compares at
    /// 128, and each is one).</summary>
    public const int MaxMustBeFree = 100;

    /// <summary>The pool set revision (<see cref="PoolsSnapshot.Revision"/>) the new spec was checked for overlaps
    /// against; null when the change adds no address, so no other pool matters.</summary>
    public long? PoolSetRevision { get; init; }

    /// <summary>Addresses the new spec stops handing out (newly excluded, a new gateway): the update is refused with
    /// <see cref="PoolUpdateStatus.InUse"/> while any of them is allocated in the pool.</summary>
    public IReadOnlyList<IpAddress> MustBeFree
    {
        get;
        init => field = value?.Count <= MaxMustBeFree
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), $"an update may name at most {MaxMustBeFree} addresses that must be free");
    } = [];
}
