using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary>What a change of a pool's spec does to the addresses it hands out.</summary>
public static class PoolChange
{
    /// <summary>The addresses <paramref name="before"/> hands out and <paramref name="after"/> no longer does: newly
    /// excluded addresses and a new gateway inside the ranges. Null when <paramref name="after"/> drops part of a range
    /// (its withdrawn addresses could be a /64: they are never listed, and such a change is not offered).</summary>
    public static IReadOnlyList<IpAddress>? Withdrawn(PoolSpec before, PoolSpec after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        IReadOnlyList<IpRange> kept = PoolValidator.EffectiveRanges(after);
        if (!PoolValidator.EffectiveRanges(before).All(r => kept.Any(k => k.Contains(r.Start) && k.Contains(r.End))))
        {
            return null;
        }

        // With every range kept, only what "after" blocks can be withdrawn: its excluded addresses and its gateway.
        IEnumerable<IpAddress> blocked = after.Gateway is { } gateway ? after.Exclude.Append(gateway) : after.Exclude;
        return blocked.Distinct().Where(a => PoolOverlap.HandsOut(before, a)).Order().ToList();
    }
}
