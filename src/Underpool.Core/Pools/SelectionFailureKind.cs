namespace Underpool.Core.Pools;

/// <summary>Why <see cref="PoolSelector"/> found no pool to try.</summary>
public enum SelectionFailureKind
{
    /// <summary>The CNI config names a pool that does not exist.</summary>
    UnknownPool,

    /// <summary>The CNI config lists a pool under the other family.</summary>
    WrongFamily,

    /// <summary>Every candidate is disabled or its affinity excludes this node.</summary>
    NoEligiblePool,

    /// <summary>No pool was named and no default pool of the family exists.</summary>
    NoDefaultPool,
}
