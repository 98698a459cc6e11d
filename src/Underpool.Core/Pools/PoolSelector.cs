using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary>Turns the pool names of a CNI config (or the default pools) into the ordered pools to try on a node.</summary>
public static class PoolSelector
{
    /// <summary>The pools of <paramref name="family"/> to try, in order; empty with a <paramref name="failure"/> when
    /// none can be used.</summary>
    /// <remarks>With no names requested, the default pools of the family in name order. A requested name that is
    /// unknown or of the other family is a config mistake and fails at once; disabled pools, pools that break a rule
    /// (<paramref name="broken"/>: stored before the rule existed) and pools whose affinity excludes
    /// <paramref name="node"/> are dropped, and only when none remain is that a failure.</remarks>
    public static IReadOnlyList<PoolSpec> Select(
        IpFamily family,
        IReadOnlyList<string> requested,
        IReadOnlyDictionary<string, PoolSpec> pools,
        NodeIdentity node,
        out SelectionFailure? failure,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? broken = null)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(node);
        List<PoolSpec> candidates;
        if (requested.Count == 0)
        {
            candidates = pools.Values
                .Where(p => p.Family == family && p.IsDefault)
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .ToList();
            if (candidates.Count == 0)
            {
                failure = new SelectionFailure(
                    SelectionFailureKind.NoDefaultPool,
                    $"no {family.ToDisplay()} pool is named in the CNI config and no default {family.ToDisplay()} pool "
                    + $"exists; name one under ipam.pools.{family.ToConfigKey()} or create one with --default");
                return [];
            }
        }
        else if (!TryResolve(family, requested, pools, out candidates, out failure))
        {
            return [];
        }

        var eligible = new List<PoolSpec>(candidates.Count);
        var dropped = new List<string>();
        foreach (PoolSpec pool in candidates)
        {
            if (pool.Disabled)
            {
                dropped.Add($"pool '{pool.Name}' is disabled ('underpoolctl pool update {pool.Name} --enable' enables it)");
            }
            else if (broken?.GetValueOrDefault(pool.Name) is { Count: > 0 } problems)
            {
                dropped.Add($"pool '{pool.Name}' breaks a pool rule and hands out nothing new ({problems[0]})");
            }
            else if (pool.Affinity.Refusal(node) is { } refusal)
            {
                dropped.Add($"pool '{pool.Name}' allows only {pool.Affinity.Describe()}, and {refusal}");
            }
            else
            {
                eligible.Add(pool);
            }
        }

        if (eligible.Count == 0)
        {
            failure = new SelectionFailure(
                SelectionFailureKind.NoEligiblePool,
                $"no {family.ToDisplay()} pool can be used on node {node.Name}: {string.Join("; ", dropped)}");
            return [];
        }

        failure = null;
        return eligible;
    }

    private static bool TryResolve(
        IpFamily family,
        IReadOnlyList<string> requested,
        IReadOnlyDictionary<string, PoolSpec> pools,
        out List<PoolSpec> candidates,
        out SelectionFailure? failure)
    {
        candidates = new List<PoolSpec>(requested.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in requested)
        {
            // A name listed twice is tried once, at its first place.
            if (!seen.Add(name))
            {
                continue;
            }

            if (!pools.TryGetValue(name, out PoolSpec? pool))
            {
                string[] known = pools.Values
                    .Where(p => p.Family == family)
                    .Select(p => p.Name)
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                string knownText = known.Length == 0
                    ? $"no {family.ToDisplay()} pool exists yet"
                    : $"known {family.ToDisplay()} pools: {string.Join(", ", known)}";
                failure = new SelectionFailure(
                    SelectionFailureKind.UnknownPool,
                    $"pool '{name}' listed under ipam.pools.{family.ToConfigKey()} does not exist; {knownText}");
                return false;
            }

            if (pool.Family != family)
            {
                failure = new SelectionFailure(
                    SelectionFailureKind.WrongFamily,
                    $"pool '{name}' is {pool.Family.ToDisplay()} ({pool.Subnet}) but is listed under "
                    + $"ipam.pools.{family.ToConfigKey()}");
                return false;
            }

            candidates.Add(pool);
        }

        failure = null;
        return true;
    }
}
