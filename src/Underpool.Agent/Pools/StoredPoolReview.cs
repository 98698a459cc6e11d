using Microsoft.Extensions.Logging;
using Underpool.Core.Pools;

namespace Underpool.Agent.Pools;

/// <summary>Pools read from the store that break a rule of <see cref="PoolValidator"/>: stored before the rule existed
/// (an IPv4-mapped IPv6 subnet, a loopback one), by an older agent, or by hand. They stay listed, with their problems,
/// and their holders keep and release their addresses, but nothing new is handed out from them.</summary>
internal sealed partial class StoredPoolReview(ILogger log)
{
    // Each broken generation is logged once: at the agent's start, and when one appears later.
    private readonly HashSet<(string Name, long Generation)> _logged = [];

    /// <summary>The problems of every pool that has any, by pool name; logs those not logged before.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Review(IEnumerable<PoolSpec> pools)
    {
        var broken = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (PoolSpec pool in pools)
        {
            IReadOnlyList<string> problems = PoolValidator.Validate(pool);
            if (problems.Count == 0)
            {
                continue;
            }

            broken[pool.Name] = problems;
            lock (_logged)
            {
                if (_logged.Add((pool.Name, pool.Generation)))
                {
                    LogBroken(pool.Name, string.Join("; ", problems));
                }
            }
        }

        return broken;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "pool {Pool} breaks a pool rule and hands out no new address until it is "
        + "fixed (pool update) or deleted; its holders keep their addresses: {Problems}")]
    private partial void LogBroken(string pool, string problems);
}
