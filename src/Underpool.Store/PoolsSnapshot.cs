using Underpool.Core.Pools;

namespace Underpool.Store;

/// <summary>All pools at one revision of the pool set (the revision guards create-time overlap checks).</summary>
public sealed record PoolsSnapshot(IReadOnlyList<PoolSpec> Pools, long Revision);
