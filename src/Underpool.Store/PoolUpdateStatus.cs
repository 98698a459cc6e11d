namespace Underpool.Store;

public enum PoolUpdateStatus
{
    Updated,
    NotFound,

    /// <summary>The pool, or the pool set the caller checked overlaps against, changed since the caller read it (another
    /// generation): read it again and retry.</summary>
    Stale,

    /// <summary>An address of <see cref="PoolUpdateGuard.MustBeFree"/> is allocated in the pool: nothing was changed.</summary>
    InUse,
}
