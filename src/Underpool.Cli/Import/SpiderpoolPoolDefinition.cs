using System.Globalization;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using YamlDotNet.RepresentationModel;

namespace Underpool.Cli.Import;

/// <summary>The Underpool pool matching a SpiderIPPool's spec, for `import spiderpool --create-pools`; the agent
/// checks it as `pool create` would.</summary>
internal static class SpiderpoolPoolDefinition
{
    public static PoolDefinition? From(KubeObject pool, IpCidr subnet, InputErrors errors, List<string> warnings)
    {
        int before = errors.Count;
        List<IpRange> ips = Ranges(pool, "spec.ips", errors);
        List<IpRange> excluded = Ranges(pool, "spec.excludeIPs", errors);

        // Spiderpool excludes ranges; Underpool excludes single addresses: cut the excluded ranges out of the ranges.
        List<IpRange> ranges = Without(ips, excluded);
        if (errors.Count == before && ranges.Count == 0)
        {
            errors.Add(pool.Error(pool.Find("spec.ips"), "spec.ips (less spec.excludeIPs) holds no address, so the pool hands out nothing; create this pool yourself"));
        }

        string? vlanText = pool.Text("spec.vlan");
        int vlan = 0;
        if (vlanText is not null && !int.TryParse(vlanText, NumberStyles.None, CultureInfo.InvariantCulture, out vlan))
        {
            errors.Add(pool.Error(pool.Find("spec.vlan"), $"spec.vlan '{vlanText}' is not a number"));
        }

        var routes = new List<AssignedRoute>();
        foreach (YamlNode route in Items(pool, "spec.routes", errors))
        {
            routes.Add(new AssignedRoute { Dst = KubeObject.Text(route, "dst") ?? string.Empty, Gw = KubeObject.Text(route, "gw") });
        }

        List<string> nodes = Items(pool, "spec.nodeName", errors).OfType<YamlScalarNode>().Select(n => n.Value ?? string.Empty).ToList();

        // Spiderpool uses nodeName when it is set and nodeAffinity only otherwise; Underpool would require both.
        string? selector = nodes.Count > 0 ? null : LabelSelectorText.From(pool.Find("spec.nodeAffinity"), pool, "spec.nodeAffinity", errors);
        string[] dropped = ["podAffinity", "namespaceAffinity", "namespaceName", "multusName"];
        if (dropped.Where(f => pool.Find($"spec.{f}") is not null).ToList() is { Count: > 0 } unused)
        {
            warnings.Add($"SpiderIPPool {pool.Id}: {string.Join(", ", unused)} not carried over (Underpool chooses pools per network config and pod, not by these)");
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new PoolDefinition
        {
            Name = DerivedPoolName.From(pool.Name),
            Subnet = subnet.ToString(),
            Ranges = ranges.Select(r => r.ToString()).ToList(),
            Gateway = pool.Text("spec.gateway"),
            Routes = routes,
            Vlan = vlan == 0 ? null : vlan,
            Nodes = nodes,
            NodeSelector = selector,
            Default = pool.Text("spec.default") == "true",
            Disabled = pool.Text("spec.disable") == "true",
        };
    }

    /// <summary>The parts of <paramref name="ranges"/> outside every range of <paramref name="excluded"/>.</summary>
    internal static List<IpRange> Without(IEnumerable<IpRange> ranges, IReadOnlyList<IpRange> excluded)
    {
        var result = new List<IpRange>();
        foreach (IpRange range in ranges)
        {
            var pieces = new List<(UInt128 Start, UInt128 End)> { (range.Start.Value, range.End.Value) };
            foreach (IpRange cut in excluded.Where(x => x.Family == range.Family))
            {
                pieces = pieces.SelectMany(p => Cut(p, cut.Start.Value, cut.End.Value)).ToList();
            }

            result.AddRange(pieces.Select(p => Range(p, range.Family)));
        }

        return result;
    }

    private static IEnumerable<(UInt128, UInt128)> Cut((UInt128 Start, UInt128 End) piece, UInt128 from, UInt128 to)
    {
        if (to < piece.Start || from > piece.End)
        {
            yield return piece;
            yield break;
        }

        if (from > piece.Start)
        {
            yield return (piece.Start, from - 1);
        }

        if (to < piece.End)
        {
            yield return (to + 1, piece.End);
        }
    }

    private static IpRange Range((UInt128 Start, UInt128 End) piece, IpFamily family)
    {
        IpRange.TryCreate(IpAddress.FromValue(piece.Start, family), IpAddress.FromValue(piece.End, family), out IpRange range, out _);
        return range;
    }

    private static List<IpRange> Ranges(KubeObject pool, string path, InputErrors errors)
    {
        var ranges = new List<IpRange>();
        foreach (YamlNode item in Items(pool, path, errors))
        {
            string text = (item as YamlScalarNode)?.Value ?? string.Empty;
            if (IpRange.TryParse(text, out IpRange range, out string? error))
            {
                ranges.Add(range);
            }
            else
            {
                errors.Add(pool.Error(item, $"{path}: {error}"));
            }
        }

        return ranges;
    }

    private static IEnumerable<YamlNode> Items(KubeObject pool, string path, InputErrors errors)
    {
        switch (pool.Find(path))
        {
            case null:
                return [];
            case YamlSequenceNode list:
                return list.Children;
            case YamlNode other:
                errors.Add(pool.Error(other, $"{path} is not a list"));
                return [];
        }
    }
}
