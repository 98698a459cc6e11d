using System.Globalization;
using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>Pools for people: the `pool list` table and the `pool show` property list.</summary>
internal static class PoolText
{
    public const string None = "-";

    /// <remarks>A WARNING column joins the table when a pool breaks a pool rule (stored before the rule existed): such a
    /// pool hands out nothing new, and the column says why. Sound pools alone keep the usual columns.</remarks>
    public static void WriteTable(IReadOnlyList<PoolView> pools, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(pools);
        bool warnings = pools.Any(p => p.Problems.Count > 0);
        string[] header = ["NAME", "FAMILY", "SUBNET", "GATEWAY", "VLAN", "DEFAULT", "ALLOCATED", "CAPACITY", "USED%", "NODES"];
        var table = new TableWriter(warnings ? [.. header, "WARNING"] : header);
        foreach (PoolView view in pools)
        {
            PoolDefinition pool = view.Pool;
            string[] row =
            [
                pool.Disabled ? $"{pool.Name} (disabled)" : pool.Name,
                view.Family,
                pool.Subnet,
                pool.Gateway ?? None,
                Vlan(pool),
                YesNo(pool.Default),
                view.Usage.Allocated.ToString(CultureInfo.InvariantCulture),
                view.Usage.Capacity,
                Percent(view.Usage.PercentUsed),
                Nodes(pool),
            ];
            table.AddRow(warnings ? [.. row, Warning(view)] : row);
        }

        table.WriteTo(output);
        if (AsOf(pools.Select(p => p.Usage)) is { } asOf)
        {
            output.WriteLine($"ALLOCATED {asOf}");
        }
    }

    /// <summary>"as of store revision N" for figures an agent counted from its view (absent from older agents).</summary>
    internal static string? AsOf(IEnumerable<PoolUsage> usages) =>
        usages.Select(u => u.AsOfRevision).DefaultIfEmpty(0).Max() is > 0 and long revision
            ? $"as of store revision {revision.ToString(CultureInfo.InvariantCulture)} (the agent's view, caught up just before it answered)"
            : null;

    public static void WriteDetail(PoolView view, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(view);
        PoolDefinition pool = view.Pool;
        var list = new PropertyList().Add("name", pool.Name);
        if (pool.App is not null)
        {
            list.Add("application", pool.App).Add("carved from", pool.Parent ?? None).Add("keep", YesNo(pool.Keep));
        }

        list
            .Add("family", view.Family)
            .Add("subnet", pool.Subnet)
            .Add("ranges", pool.Ranges.Count == 0 ? "(whole subnet)" : string.Join(',', pool.Ranges))
            .Add("exclude", List(pool.Exclude))
            .Add("gateway", pool.Gateway ?? None)
            .Add("routes", pool.Routes.Count == 0 ? None : string.Join(", ", pool.Routes.Select(Route)))
            .Add("vlan", Vlan(pool))
            .Add("nodes", List(pool.Nodes))
            .Add("node-selector", pool.NodeSelector ?? None)
            .Add("default", YesNo(pool.Default))
            .Add("disabled", YesNo(pool.Disabled))
            .Add("probe", pool.Probe ?? "agent default")
            .Add("check gateway", pool.CheckGateway ?? "off")
            .Add("allocated", view.Usage.Allocated.ToString(CultureInfo.InvariantCulture))
            .Add("capacity", view.Usage.Capacity)
            .Add("used", Percent(view.Usage.PercentUsed));
        if (AsOf([view.Usage]) is { } asOf)
        {
            list.Add("counted", asOf);
        }

        if (view.Problems.Count > 0)
        {
            list.Add("warning", Warning(view));
        }

        list.WriteTo(output);
    }

    private static string Warning(PoolView view) =>
        view.Problems.Count == 0 ? None : $"breaks a pool rule, hands out nothing new: {string.Join("; ", view.Problems.Select(OneLine.Of))}";

    private static string Route(AssignedRoute route) => route.Gw is null ? route.Dst : $"{route.Dst} via {route.Gw}";

    private static string Vlan(PoolDefinition pool) => pool.Vlan?.ToString(CultureInfo.InvariantCulture) ?? None;

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? None : string.Join(',', items);

    private static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    // Who may use the pool: named nodes, a selector, both, or every node.
    private static string Nodes(PoolDefinition pool)
    {
        string? named = pool.Nodes.Count == 0 ? null : string.Join(',', pool.Nodes);
        return (named, pool.NodeSelector) switch
        {
            (null, null) => "(all)",
            (not null, null) => named,
            (null, not null) => pool.NodeSelector,
            _ => $"{named} if {pool.NodeSelector}",
        };
    }
}
