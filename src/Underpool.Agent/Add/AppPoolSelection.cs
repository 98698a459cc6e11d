using Underpool.Core.Pools;

namespace Underpool.Agent.Add;

/// <summary>Replicas of an application with application pools draw only from those, family by family.</summary>
internal static class AppPoolSelection
{
    /// <summary>Each family's candidates replaced by the application's pools of that family that this node may use
    /// (enabled, breaking no pool rule: <paramref name="broken"/>); a family without any keeps the network's pools (the
    /// application has no fixed set there).</summary>
    public static IReadOnlyList<IReadOnlyList<PoolSpec>> Narrow(
        IReadOnlyList<IReadOnlyList<PoolSpec>> families,
        string app,
        IReadOnlyDictionary<string, PoolSpec> pools,
        IReadOnlyDictionary<string, IReadOnlyList<string>> broken,
        NodeIdentity node)
    {
        var narrowed = new List<IReadOnlyList<PoolSpec>>(families.Count);
        foreach (IReadOnlyList<PoolSpec> family in families)
        {
            List<PoolSpec> own = pools.Values
                .Where(p => p.App == app && p.Family == family[0].Family && !p.Disabled && !broken.ContainsKey(p.Name) && p.Affinity.Allows(node))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .ToList();
            narrowed.Add(own.Count > 0 ? own : family);
        }

        return narrowed;
    }
}
