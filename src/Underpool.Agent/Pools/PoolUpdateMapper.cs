using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Pools;

/// <summary>Applies a <see cref="PoolUpdate"/> to the pool's current spec, collecting every mistake in the request;
/// what the result means (valid, overlapping, withdrawing an allocated address) is the update service's to judge.</summary>
internal static class PoolUpdateMapper
{
    /// <summary>True when the request only disables or enables the pool: nothing about its addresses or nodes changes.</summary>
    public static bool OnlyTogglesDisabled(PoolUpdate change) => change.Disabled is not null && !ChangesSpec(change);

    /// <summary>The pool as <paramref name="change"/> leaves it, or null with <paramref name="errors"/> saying why not.</summary>
    public static PoolSpec? Apply(PoolSpec current, PoolUpdate change, List<string> errors)
    {
        string name = current.Name;
        string p = $"pool '{name}'";
        if (change.Disabled is null && !ChangesSpec(change))
        {
            errors.Add($"nothing to change for {p}: name ranges to add, excluded addresses to add or remove, nodes, a node "
                       + "selector, a gateway, routes, or disable/enable it");
            return null;
        }

        if (current.App is not null && !OnlyTogglesDisabled(change))
        {
            errors.Add($"{p} is an application pool: its addresses change with 'underpoolctl app-pool scale', and its gateway, "
                       + $"routes and nodes follow its parent '{current.Parent}' (update that one); only --disable/--enable apply to it");
            return null;
        }

        List<IpRange> added = PoolFieldParser.Ranges(change.AddRanges, name, errors);
        if (added.Count > 0 && current.Ranges.Count == 0)
        {
            errors.Add($"{p} lists no ranges, so it already hands out its whole subnet {current.Subnet}: there is no range to add");
        }

        List<IpAddress> exclude = ChangedExcludes(current, change, errors);
        IpAddress? gateway = change.Gateway is null ? current.Gateway : PoolFieldParser.Gateway(change.Gateway, name, errors);
        if (change.Gateway is not null && string.IsNullOrWhiteSpace(change.Gateway) && current.CheckGateway != GatewayCheck.Off)
        {
            errors.Add($"{p} checks its gateway before each ADD (check gateway {current.CheckGateway.ToString().ToLowerInvariant()}), "
                       + "so it cannot do without one");
        }

        IReadOnlyList<PoolRoute> routes = change.Routes is null ? current.Routes : PoolFieldParser.Routes(change.Routes, name, errors);
        NodeAffinity affinity = PoolFieldParser.Affinity(
            change.Nodes ?? current.Affinity.NodeNames, change.NodeSelector ?? current.Affinity.NodeSelector, name, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        return current with
        {
            Ranges = [.. current.Ranges, .. added],
            Exclude = exclude,
            Gateway = gateway,
            Routes = routes,
            Affinity = affinity,
            Disabled = change.Disabled ?? current.Disabled,
        };
    }

    private static List<IpAddress> ChangedExcludes(PoolSpec current, PoolUpdate change, List<string> errors)
    {
        string p = $"pool '{current.Name}'";
        List<IpAddress> add = PoolFieldParser.Addresses(change.AddExclude, $"{p}: excluded address to add", errors);
        List<IpAddress> remove = PoolFieldParser.Addresses(change.RemoveExclude, $"{p}: excluded address to remove", errors);
        foreach (IpAddress address in remove)
        {
            if (!current.Exclude.Contains(address))
            {
                errors.Add($"{p} does not exclude {address}, so it cannot stop excluding it");
            }

            if (add.Contains(address))
            {
                errors.Add($"{p}: {address} is both to be excluded and to stop being excluded");
            }
        }

        // An address excluded already stays once: adding it again is harmless, and a script may repeat itself.
        return current.Exclude.Where(a => !remove.Contains(a)).Concat(add).Distinct().ToList();
    }

    private static bool ChangesSpec(PoolUpdate change) =>
        change.AddRanges.Count > 0 || change.AddExclude.Count > 0 || change.RemoveExclude.Count > 0 || change.Nodes is not null
        || change.NodeSelector is not null || change.Gateway is not null || change.Routes is not null;
}
