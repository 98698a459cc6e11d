using Underpool.Core.Allocation;
using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary>The one place that decides whether a <see cref="PoolSpec"/> is acceptable, and what it hands out.</summary>
public static class PoolValidator
{
    /// <summary>Every problem with <paramref name="pool"/>, each a sentence naming the pool and the bad value;
    /// empty when the pool is acceptable.</summary>
    /// <remarks>Also run on every pool the agent reads from its store: a pool stored before a rule existed is then
    /// reported and never used for new allocations (see PoolRegistry).</remarks>
    public static IReadOnlyList<string> Validate(PoolSpec pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var problems = new List<string>();
        string p = $"pool '{PrintableText.Escape(pool.Name)}'";
        AddNameProblems(pool, p, problems);
        if (pool.Family is not (IpFamily.V4 or IpFamily.V6))
        {
            problems.Add($"{p} has no subnet");
            return problems;
        }

        foreach (string special in SpecialSubnets.Problems(pool.Subnet))
        {
            problems.Add($"{p}: {special}");
        }

        int before = problems.Count;
        RangeRules.AddProblems(pool, p, problems);
        foreach (IpAddress excluded in pool.Exclude)
        {
            AddAddressProblem(problems, p, "excluded address", excluded, pool.Subnet);
        }

        AddGatewayProblems(pool, p, problems);
        bool addressesValid = problems.Count == before;
        AddRouteProblems(pool, p, problems);
        if (pool.Vlan is { } vlan and (< 0 or > 4094))
        {
            problems.Add($"{p}: VLAN {vlan} is out of range (0-4094)");
        }

        AddAffinityProblems(p, pool.Affinity, problems);

        // Only meaningful once ranges, excludes and gateway are sound; otherwise the capacity would be about
        // a pool the user did not mean.
        if (addressesValid && PoolAllocator.CapacityOf(pool) == 0)
        {
            string ranges = pool.Ranges.Count == 0 ? $"subnet {pool.Subnet}" : "ranges " + string.Join(", ", pool.Ranges);
            problems.Add($"{p} hands out nothing: every address of its {ranges} is excluded or is the gateway");
        }

        return problems;
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

    private static void AddNameProblems(PoolSpec pool, string p, List<string> problems)
    {
        if (PrintableText.Problem("pool name", pool.Name) is { } control)
        {
            problems.Add(control);
        }
        else if (!PoolName.IsValid(pool.Name))
        {
            problems.Add($"pool name '{pool.Name}' is not valid: {PoolName.Rule}");
        }

        if (pool.App is not null && (pool.Parent is null || pool.Ranges.Count == 0))
        {
            problems.Add($"{p} is an application pool: it needs the pool its addresses were carved from and those addresses as ranges");
        }

        if (pool.Parent == pool.Name)
        {
            problems.Add($"{p} cannot be carved from itself");
        }
    }

    private static void AddGatewayProblems(PoolSpec pool, string p, List<string> problems)
    {
        if (pool.Gateway is not { } gateway)
        {
            return;
        }

        // An IPv6 pool may name its router by its link-local address (on-link whatever the subnet); an IPv4 pool may
        // not name an IPv6 one at all: pods would get "0.0.0.0/0 via fe80::1".
        if (gateway.Family != pool.Family || !SubnetEdges.IsIpv6LinkLocal(gateway))
        {
            AddAddressProblem(problems, p, "gateway", gateway, pool.Subnet);
        }

        // An excluded network or broadcast address is harmless (never handed out anyway); a gateway there names an
        // address no router can hold, so every pod would get a dead default route.
        if (SubnetEdges.Name(pool.Subnet, gateway) is { } edge)
        {
            problems.Add($"{p}: gateway {gateway} is the {edge} address of {pool.Subnet}, which no host can use");
        }
    }

    private static void AddRouteProblems(PoolSpec pool, string p, List<string> problems)
    {
        IpCidr subnet = pool.Subnet;
        string family = pool.Family.ToDisplay();
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
            string name = affinity.NodeNames[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add($"{p}: node name #{i + 1} of its node affinity is empty");
            }
            else if (PrintableText.Problem($"{p}: node name", name) is { } control)
            {
                problems.Add(control);
            }
            else if (!NodeName.IsValid(name))
            {
                problems.Add($"{p}: node name '{name}' is not valid: {NodeName.Rule}");
            }
        }

        if (string.IsNullOrWhiteSpace(affinity.NodeSelector))
        {
            return;
        }

        if (PrintableText.Problem($"{p}: node selector", affinity.NodeSelector) is { } controlled)
        {
            problems.Add(controlled);
        }
        else if (!LabelSelector.TryParse(affinity.NodeSelector, out _, out string? error))
        {
            problems.Add($"{p}: {error}");
        }
    }
}
