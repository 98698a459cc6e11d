using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary><see cref="PoolValidator"/>'s rules for a pool's ranges: inside the subnet, off its network and broadcast
/// addresses, and not overlapping one another.</summary>
internal static class RangeRules
{
    public static void AddProblems(PoolSpec pool, string p, List<string> problems)
    {
        IpCidr subnet = pool.Subnet;
        var inside = new List<IpRange>(pool.Ranges.Count);
        foreach (IpRange range in pool.Ranges)
        {
            if (range.Family != pool.Family)
            {
                problems.Add($"{p}: range {range} is {range.Family.ToDisplay()} but the subnet {subnet} is {pool.Family.ToDisplay()}");
            }
            else if (!subnet.Contains(range.Start) || !subnet.Contains(range.End))
            {
                problems.Add($"{p}: range {range} is not inside the subnet {subnet}");
            }
            else
            {
                AddRangeEdgeProblems(p, range, subnet, problems);
                inside.Add(range);
            }
        }

        AddOverlappingRanges(p, inside, problems);
    }

    private static void AddOverlappingRanges(string p, List<IpRange> ranges, List<string> problems)
    {
        // Sorted by start, a range overlaps an earlier one exactly when it starts at or before the furthest end
        // seen so far: one pass, however many single-address ranges a user lists.
        IpRange[] sorted = [.. ranges];
        Array.Sort(sorted, (a, b) => a.Start.CompareTo(b.Start));
        for (int i = 1, furthest = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Start <= sorted[furthest].End)
            {
                problems.Add($"{p}: ranges {sorted[furthest]} and {sorted[i]} overlap");
            }

            if (sorted[i].End > sorted[furthest].End)
            {
                furthest = i;
            }
        }
    }

    /// <summary>Adds a problem for each end of <paramref name="range"/> (already inside the subnet) that is the
    /// network or broadcast address, saying which address to use instead.</summary>
    private static void AddRangeEdgeProblems(string p, IpRange range, IpCidr subnet, List<string> problems)
    {
        if (range.Start == range.End)
        {
            if (SubnetEdges.Name(subnet, range.Start) is { } edge)
            {
                problems.Add($"{p}: range {range} is the {edge} address of {subnet}, which no host can use; remove it");
            }

            return;
        }

        // Only the ends can be an edge: the range is inside the subnet, whose edges are its first and last address.
        if (SubnetEdges.Name(subnet, range.Start) is { } first)
        {
            problems.Add($"{p}: range {range} includes the {first} address {range.Start} of {subnet}, which no host "
                         + $"can use; start the range at {range.Start.Add(1)}");
        }

        if (SubnetEdges.Name(subnet, range.End) is { } last)
        {
            IpAddress before = IpAddress.FromValue(range.End.Value - 1, range.Family);
            problems.Add($"{p}: range {range} includes the {last} address {range.End} of {subnet}, which no host "
                         + $"can use; end the range at {before}");
        }
    }
}
