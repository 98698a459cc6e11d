using Microsoft.Extensions.Logging;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Add;

/// <summary>Replicas of an application with application pools draw only from those, family by family.</summary>
/// <remarks>A family in which the application has no application pool at all keeps the network's pools, as any pod:
/// a dual-stack application may fix its IPv4 addresses only, and replicas started before their set was carved still
/// start. The fixed set is what a firewall whitelists, so the agent logs each such ADD: an address outside any set is
/// never handed out silently.</remarks>
internal static partial class AppPoolSelection
{
    /// <summary>Each family's candidates replaced by the application's pools of that family that this node may use
    /// (enabled, breaking no pool rule: <paramref name="broken"/>); a family without any keeps the network's pools (the
    /// application has no fixed set there).</summary>
    public static IReadOnlyList<IReadOnlyList<PoolSpec>> Narrow(
        IReadOnlyList<IReadOnlyList<PoolSpec>> families,
        string app,
        IReadOnlyDictionary<string, PoolSpec> pools,
        IReadOnlyDictionary<string, IReadOnlyList<string>> broken,
        NodeIdentity node,
        ILogger log)
    {
        var narrowed = new List<IReadOnlyList<PoolSpec>>(families.Count);
        foreach (IReadOnlyList<PoolSpec> family in families)
        {
            List<PoolSpec> own = pools.Values
                .Where(p => p.App == app && p.Family == family[0].Family && !p.Disabled && !broken.ContainsKey(p.Name) && p.Affinity.Allows(node))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .ToList();
            if (own.Count == 0 && !pools.Values.Any(p => p.App == app && p.Family == family[0].Family))
            {
                LogNoAppPool(log, app, family[0].Family.ToConfigKey(), string.Join(", ", family.Select(p => p.Name)));
            }

            narrowed.Add(own.Count > 0 ? own : family);
        }

        return narrowed;
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "application {App} has no {Family} application pool: its replica draws from the network's pools ({Pools}), "
            + "outside any fixed set ('underpoolctl app-pool create' carves one)")]
    private static partial void LogNoAppPool(ILogger log, string app, string family, string pools);
}
