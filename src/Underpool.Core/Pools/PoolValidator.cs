using Underpool.Core.Allocation;
using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary>The one place that decides whether a <see cref="PoolSpec"/> is acceptable, and what it hands out.</summary>
public static class PoolValidator
{
    /// <summary>Every problem with <paramref name="pool"/>, each a sentence naming the pool and the bad value;
    /// empty when the pool is acceptable.</summary>
    public static IReadOnlyList<string> Validate(PoolSpec pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var problems = new List<string>();
        string p = $"pool '{pool.Name}'";
        if (!PoolName.IsValid(pool.Name))
        {
            problems.Add($"pool name '{pool.Name}' is not valid: {PoolName.Rule}");
        }

        if (pool.Family is not (IpFamily.V4 or IpFamily.V6))
        {
            problems.Add($"{p} has no subnet");
            return problems;
        }

        if (pool.App is not null && (pool.Parent is null || pool.Ranges.Count == 0))
        {
            problems.Add($"{p} is an application pool: it needs the pool its addresses were carved from and those addresses as ranges");
        }

        if (pool.Parent == pool.Name)
        {
            problems.Add($"{p} cannot be carved from itself");
        }

        IpCidr subnet = pool.Subnet;
        string family = pool.Family.ToDisplay();
        int rangeProblems = problems.Count;
        var inside = new List<IpRange>(pool.Ranges.Count);
        foreach (IpRange range in pool.Ranges)
        {
            if (range.Family != pool.Family)
            {
                problems.Add($"{p}: range {range} is {range.Family.ToDisplay()} but the subnet {subnet} is {family}");
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
        foreach (IpAddress excluded in pool.Exclude)
        {
            AddAddressProblem(problems, p, "excluded address", excluded, subnet);
        }

        // An excluded network or broadcast address is harmless (never handed out anyway); a gateway there names an
        // address no router can hold, so every pod would get a dead default route.
        if (pool.Gateway is { } gateway)
        {
            if (!SubnetEdges.IsIpv6LinkLocal(gateway))
            {
                AddAddressProblem(problems, p, "gateway", gateway, subnet);
            }

            if (SubnetEdges.Name(subnet, gateway) is { } edge)
            {
                problems.Add($"{p}: gateway {gateway} is the {edge} address of {subnet}, which no host can use");
            }
        }

        bool addressesValid = problems.Count == rangeProblems;
        foreach (PoolRoute route in pool.Routes)
        {
            if (route.Destination.Family != pool.Family)
            {
                problems.Add($"{p}: route destination {route.Destination} is {route.Destination.Family.ToDisplay()} "
                             + $"but the pool is {family}");
            }

            if (route.Gateway is not { } via)
            {
                continue;
            }

            // The kernel only accepts an on-link next hop, and the pod's only link is this subnet: a gateway elsewhere
            // would pass here and then fail every CNI ADD in the main plugin.
            string what = $"{p}: route gateway {via} (route to {route.Destination})";
            if (via.Family != pool.Family)
            {
                problems.Add($"{what} is {via.Family.ToDisplay()} but the pool is {family}");
            }
            else if (!subnet.Contains(via) && !SubnetEdges.IsIpv6LinkLocal(via))
            {
                problems.Add($"{what} is not inside the subnet {subnet}");
            }
            else if (SubnetEdges.Name(subnet, via) is { } edge)
            {
                problems.Add($"{what} is the {edge} address of {subnet}, which no host can use");
            }
        }

        if (pool.Vlan is { } vlan and (< 0 or > 4094))
        {
            problems.Add($"{p}: VLAN {vlan} is out of range (0-4094)");
        }

        AddAffinityProblems(p, pool.Affinity, problems);

        // Only meaningful once ranges, excludes and gateway are sound; otherwise the capacity would be about
        // a pool the user did not mean.
        if (addressesValid && PoolAllocator.CapacityOf(pool) == 0)
        {
            string ranges = pool.Ranges.Count == 0 ? $"subnet {subnet}" : "ranges " + string.Join(", ", pool.Ranges);
            problems.Add($"{p} hands out nothing: every address of its {ranges} is excluded or is the gateway");
        }

        return problems;
    }

    /// <summary>Null, or a sentence naming the first existing pool whose subnet overlaps <paramref name="pool"/>'s.</summary>
    /// <remarks>Subnets, not ranges, are compared: two pools on one subnet would share a broadcast domain and
    /// gateway, and pools must never be able to share an address. A pool of the same name is skipped, so a pool
    /// can be checked against a listing that already holds it.</remarks>
    public static string? FindOverlap(PoolSpec pool, IEnumerable<PoolSpec> existing)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(existing);
        foreach (PoolSpec other in existing)
        {
            // An application pool shares its parent's subnet: its addresses are allocated in the parent, to it.
            bool carved = pool.Parent == other.Name || other.Parent == pool.Name || (pool.Parent is not null && pool.Parent == other.Parent);
            if (other.Name != pool.Name && !carved && other.Subnet.Overlaps(pool.Subnet))
            {
                return $"pool '{pool.Name}' subnet {pool.Subnet} overlaps pool '{other.Name}' subnet {other.Subnet}";
            }
        }

        return null;
    }

    /// <summary>The ranges the pool hands out from, sorted and merged; when none were given, the subnet less its
    /// network address (and, for IPv4 shorter than /31, its broadcast address).</summary>
    /// <remarks>Ranges of the wrong family are dropped and the rest clipped to the subnet, so an allocator built on
    /// a spec that skipped validation still never strays outside the subnet.</remarks>
    public static IReadOnlyList<IpRange> EffectiveRanges(PoolSpec pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        IpCidr subnet = pool.Subnet;
        if (pool.Family is not (IpFamily.V4 or IpFamily.V6))
        {
            return [];
        }

        if (pool.Ranges.Count == 0)
        {
            return [WholeSubnet(subnet)];
        }

        var clipped = new List<IpRange>(pool.Ranges.Count);
        foreach (IpRange range in pool.Ranges)
        {
            if (range.Family != pool.Family)
            {
                continue;
            }

            IpAddress start = range.Start > subnet.Network ? range.Start : subnet.Network;
            IpAddress end = range.End < subnet.Last ? range.End : subnet.Last;
            if (IpRange.TryCreate(start, end, out IpRange inside, out _))
            {
                clipped.Add(inside);
            }
        }

        clipped.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<IpRange>(clipped.Count);
        foreach (IpRange range in clipped)
        {
            if (merged.Count > 0 && Touches(merged[^1], range))
            {
                IpRange last = merged[^1];
                IpAddress end = range.End > last.End ? range.End : last.End;
                IpRange.TryCreate(last.Start, end, out IpRange joined, out _);
                merged[^1] = joined;
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    private static IpRange WholeSubnet(IpCidr subnet)
    {
        int hostBits = subnet.Family.BitLength() - subnet.PrefixLength;

        // A /31 or /32 (IPv4) and a /127 or /128 (IPv6) have no network or broadcast address to spare (RFC 3021,
        // RFC 6164); IPv6 has no broadcast, so only its subnet-router anycast (network) address is skipped.
        if (hostBits <= 1)
        {
            return IpRange.Of(subnet);
        }

        IpAddress first = subnet.Network.Add(1);
        IpAddress last = subnet.Family == IpFamily.V4
            ? IpAddress.FromValue(subnet.Last.Value - 1, IpFamily.V4)
            : subnet.Last;
        IpRange.TryCreate(first, last, out IpRange range, out _);
        return range;
    }

    /// <summary>True when <paramref name="next"/> (starting at or after <paramref name="previous"/>) overlaps it or
    /// begins right after its end, so the two read as one range.</summary>
    private static bool Touches(IpRange previous, IpRange next) =>
        previous.End.Value == IpAddress.MaxValue(previous.Family) || next.Start.Value <= previous.End.Value + 1;

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

    private static void AddAddressProblem(List<string> problems, string p, string what, IpAddress address, IpCidr subnet)
    {
        if (address.Family != subnet.Family)
        {
            problems.Add($"{p}: {what} {address} is {address.Family.ToDisplay()} but the subnet {subnet} is "
                         + $"{subnet.Family.ToDisplay()}");
        }
        else if (!subnet.Contains(address))
        {
            problems.Add($"{p}: {what} {address} is not inside the subnet {subnet}");
        }
    }

    private static void AddAffinityProblems(string p, NodeAffinity affinity, List<string> problems)
    {
        for (int i = 0; i < affinity.NodeNames.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(affinity.NodeNames[i]))
            {
                problems.Add($"{p}: node name #{i + 1} of its node affinity is empty");
            }
        }

        if (!string.IsNullOrWhiteSpace(affinity.NodeSelector)
            && !LabelSelector.TryParse(affinity.NodeSelector, out _, out string? error))
        {
            problems.Add($"{p}: {error}");
        }
    }
}
