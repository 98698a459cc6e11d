namespace Underpool.Agent;

/// <summary>Where allocations live (<c>--store</c>).</summary>
public enum StoreKind
{
    /// <summary>A SQLite file on this host (agents on one host may share it).</summary>
    Embedded,

    /// <summary>An etcd cluster every node shares.</summary>
    Etcd,
}
