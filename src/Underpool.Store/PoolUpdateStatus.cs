namespace Underpool.Store;

public enum PoolUpdateStatus
{
    Updated,
    NotFound,

    /// <summary>The pool changed since the caller read it (another generation): read it again and retry.</summary>
    Stale,
}
