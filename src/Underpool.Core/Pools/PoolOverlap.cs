using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary>Whether a pool may be stored beside the others: pools may share a subnet (one VLAN's /24 split between
/// racks or tenants), never an address.</summary>
/// <remarks>
/// The rules for pools of one subnet, and why:
/// <list type="bullet">
/// <item>They declare the same subnet (network and prefix length). Pods of a /24 pool and a /25 pool on one segment
/// would disagree about which neighbours are on their link.</item>
/// <item>The addresses they can hand out (ranges less excluded addresses and the gateway) are disjoint: no address can
/// be held twice through two pools. Worked out on ranges with 128-bit arithmetic, so a /64 is never enumerated.</item>
/// <item>No pool hands out another's gateway. Gateways may differ (a segment can have two routers, one per tenant),
/// which also lets an operator change one pool's gateway without touching the rest of the subnet.</item>
/// </list>
/// An application pool shares its parent's subnet by design: its addresses are allocations in the parent, held for
/// it, so the store's create-if-absent on (pool, address) already keeps them apart. Its relation to its parent and to
/// the parent's other application pools is therefore not checked here.
/// </remarks>
public static class PoolOverlap
{
    /// <summary>Every reason <paramref name="pool"/> cannot sit beside <paramref name="existing"/>, each a sentence naming
    /// both pools; empty when it can. A pool of the same name is skipped, so a changed pool can be checked against a
    /// listing that still holds its old spec.</summary>
    public static IReadOnlyList<string> Find(PoolSpec pool, IEnumerable<PoolSpec> existing)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(existing);
        var problems = new List<string>();
        foreach (PoolSpec other in existing)
        {
            if (other.Name == pool.Name || IsCarvedRelation(pool, other) || !other.Subnet.Overlaps(pool.Subnet))
            {
                continue;
            }

            if (other.Subnet != pool.Subnet)
            {
                problems.Add(
                    $"pool '{pool.Name}' subnet {pool.Subnet} overlaps pool '{other.Name}' subnet {other.Subnet}; pools may share "
                    + "addresses of one subnet only when both declare that same subnet (the same prefix length), or their pods "
                    + "would disagree about which addresses are on their link");
                continue;
            }

            AddSharedAddressProblems(pool, other, problems);
        }

        return problems;
    }

    /// <summary>True when <paramref name="pool"/> hands out <paramref name="address"/>: inside its effective ranges and
    /// neither excluded nor its gateway. Reserved addresses are not considered (they change at run time).</summary>
    public static bool HandsOut(PoolSpec pool, IpAddress address)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return address != pool.Gateway
               && !pool.Exclude.Contains(address)
               && PoolValidator.EffectiveRanges(pool).Any(r => r.Contains(address));
    }

    private static void AddSharedAddressProblems(PoolSpec pool, PoolSpec other, List<string> problems)
    {
        if (FirstShared(pool, other) is { } shared)
        {
            string? whole = pool.Ranges.Count == 0 ? pool.Name : other.Ranges.Count == 0 ? other.Name : null;
            problems.Add(
                $"pool '{pool.Name}' and pool '{other.Name}' would both hand out {shared} (subnet {pool.Subnet}); pools of one "
                + "subnet need disjoint ranges, or the shared addresses excluded from one of them"
                + (whole is null ? string.Empty : $" (pool '{whole}' has no ranges, so it hands out its whole subnet)"));
        }

        if (other.Gateway is { } theirs && HandsOut(pool, theirs))
        {
            problems.Add($"pool '{pool.Name}' would hand out {theirs}, the gateway of pool '{other.Name}' on the same subnet; "
                         + "exclude it or keep it out of the ranges");
        }

        if (pool.Gateway is { } ours && HandsOut(other, ours))
        {
            problems.Add($"pool '{pool.Name}' names {ours} as its gateway, but pool '{other.Name}' on the same subnet hands it out; "
                         + "exclude it from that pool first");
        }
    }

    /// <summary>The lowest address both pools hand out, or null. Walks the intersections of the two pools' effective
    /// ranges and skips, within each, the few addresses either pool blocks (excluded or gateway).</summary>
    private static IpAddress? FirstShared(PoolSpec a, PoolSpec b)
    {
        IReadOnlyList<IpRange> ra = PoolValidator.EffectiveRanges(a);
        IReadOnlyList<IpRange> rb = PoolValidator.EffectiveRanges(b);
        UInt128[] blocked = Blocked(a).Concat(Blocked(b)).Distinct().Order().ToArray();
        int i = 0, j = 0;
        while (i < ra.Count && j < rb.Count)
        {
            UInt128 lo = UInt128.Max(ra[i].Start.Value, rb[j].Start.Value);
            UInt128 hi = UInt128.Min(ra[i].End.Value, rb[j].End.Value);
            if (lo <= hi && FirstUnblocked(lo, hi, blocked) is { } free)
            {
                return IpAddress.FromValue(free, a.Family);
            }

            // Move on from the range that ends first; the other may still meet the next one.
            if (ra[i].End.Value < rb[j].End.Value)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return null;
    }

    private static IEnumerable<UInt128> Blocked(PoolSpec pool)
    {
        IEnumerable<IpAddress> addresses = pool.Gateway is { } gateway ? pool.Exclude.Append(gateway) : pool.Exclude;
        return addresses.Where(x => x.Family == pool.Family).Select(x => x.Value);
    }

    /// <summary>The lowest value of [<paramref name="lo"/>, <paramref name="hi"/>] not in <paramref name="sortedBlocked"/>.</summary>
    private static UInt128? FirstUnblocked(UInt128 lo, UInt128 hi, UInt128[] sortedBlocked)
    {
        int k = Array.BinarySearch(sortedBlocked, lo);
        k = k < 0 ? ~k : k;
        UInt128 candidate = lo;
        for (; k < sortedBlocked.Length && sortedBlocked[k] == candidate; k++)
        {
            if (candidate == hi)
            {
                return null;
            }

            candidate++;
        }

        return candidate;
    }

    private static bool IsCarvedRelation(PoolSpec pool, PoolSpec other) =>
        pool.Parent == other.Name || other.Parent == pool.Name || (pool.Parent is not null && pool.Parent == other.Parent);
}
