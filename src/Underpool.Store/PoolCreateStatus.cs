namespace Underpool.Store;

public enum PoolCreateStatus
{
    Created,

    /// <summary>A pool of that name exists.</summary>
    NameTaken,

    /// <summary>The set of pools changed since the caller validated against it: validate again and retry.</summary>
    Stale,
}
