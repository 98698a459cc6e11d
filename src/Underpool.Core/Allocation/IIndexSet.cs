namespace Underpool.Core.Allocation;

/// <summary>Which indices of a pool are used and which are blocked (excluded, gateway, reserved), and a way to find
/// a free one. Used and blocked are independent: an address may be both, and releasing it leaves it blocked.</summary>
internal interface IIndexSet
{
    long UsedCount { get; }

    /// <summary>Finds the first index at or after <paramref name="cursor"/> that is neither used nor blocked,
    /// wrapping round once, and marks it used.</summary>
    bool TryTake(UInt128 cursor, out UInt128 index);

    bool MarkUsed(UInt128 index);

    bool Release(UInt128 index);

    bool IsUsed(UInt128 index);

    bool IsBlocked(UInt128 index);

    void Block(UInt128 index);

    void Unblock(UInt128 index);
}
