using Microsoft.Extensions.Logging;
using Underpool.Agent.Ipam;
using Underpool.Agent.Observability;
using Underpool.Agent.Pools;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Probe;
using Underpool.Probe.Linux;
using Underpool.Store;

namespace Underpool.Agent.Conflicts;

/// <summary>Probes an ADD's candidates on the uplink before they are committed; a candidate another host answers
/// for is quarantined and replaced by the next one of its family, so the pod still starts first time.</summary>
/// <remarks>The candidates of a dual-stack ADD are probed together. Probing fails open: when the uplink cannot be
/// used (a typo in --uplink-netns, a missing master) the ADD goes on unprobed and the agent logs a warning, since
/// macvlan itself will fail on a missing master and a broken probe must not stop every pod on the node.</remarks>
public sealed partial class ConflictScreen(
    IAddressProber prober,
    IIpamStore store,
    PoolRegistry registry,
    AgentMetrics metrics,
    AgentOptions options,
    ILogger<ConflictScreen> log,
    TimeProvider clock)
{
    /// <summary>Probes <paramref name="picks"/> (one per family, from <paramref name="families"/> in order) and replaces
    /// conflicting ones in place. On failure every pick still held is given back to the view.</summary>
    public async Task<Failure?> ScreenAsync(
        List<(PoolSpec Pool, IpAddress Address)> picks,
        IReadOnlyList<IReadOnlyList<PoolSpec>> families,
        Uplink? uplink,
        CancellationToken cancellationToken,
        IReadOnlyCollection<IpAddress>? exact = null)
    {
        List<int> pending = Enumerable.Range(0, picks.Count).Where(i => picks[i].Pool.Probe ?? options.Probe).ToList();
        if (pending.Count == 0)
        {
            return null;
        }

        if (uplink is null)
        {
            LogNoUplink(string.Join(", ", pending.Select(i => picks[i].Address)));
            return null;
        }

        int conflicts = 0;
        while (pending.Count > 0)
        {
            IReadOnlyList<ProbeAnswer>? answers = await ProbeAsync(uplink, pending.Select(i => picks[i].Address).ToList(), cancellationToken)
                .ConfigureAwait(false);
            if (answers is null)
            {
                return null;
            }

            var next = new List<int>();
            for (int n = 0; n < pending.Count; n++)
            {
                if (answers[n].AnsweredBy is not { } mac)
                {
                    continue;
                }

                int i = pending[n];
                (PoolSpec pool, IpAddress address) = picks[i];
                await QuarantineAsync(pool, address, mac.ToString(), uplink, cancellationToken).ConfigureAwait(false);
                if (exact?.Contains(address) == true)
                {
                    // The runtime asked for this very address: another one would not do.
                    picks.RemoveAt(i);
                    Release(picks);
                    return RequestedInUse(address, mac.ToString(), uplink);
                }

                if (++conflicts > options.MaxConflictsPerAdd || TakeNext(families[i], pool) is not { } replacement)
                {
                    picks.RemoveAt(i);
                    Release(picks);
                    return TooManyConflicts(families[i], conflicts, uplink);
                }

                picks[i] = replacement;
                next.Add(i);
            }

            pending = next;
        }

        return null;
    }

    /// <summary>Probes one address for anybody at all: a quarantined address to free, or a gateway to reach.</summary>
    /// <returns>The answer, or null when the uplink could not be used (logged).</returns>
    public async Task<ProbeAnswer?> ProbeOneAsync(Uplink uplink, IpAddress address, CancellationToken cancellationToken) =>
        await ProbeAsync(uplink, [address], cancellationToken).ConfigureAwait(false) is [var answer] ? answer : null;

    private async Task<IReadOnlyList<ProbeAnswer>?> ProbeAsync(Uplink uplink, List<IpAddress> addresses, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<ProbeAnswer> answers = await prober.ProbeAsync(uplink, addresses, options.ProbeSettings, cancellationToken)
                .ConfigureAwait(false);
            foreach (ProbeAnswer answer in answers)
            {
                metrics.Probed(answer.InUse ? "conflict" : "clear", answer.Elapsed);
            }

            return answers;
        }
        catch (ProbeException e)
        {
            metrics.Probed("error", TimeSpan.Zero);
            LogProbeFailed(string.Join(", ", addresses), uplink.ToString(), e.Message);
            return null;
        }
    }

    private async Task QuarantineAsync(PoolSpec pool, IpAddress address, string mac, Uplink uplink, CancellationToken cancellationToken)
    {
        var record = new QuarantineRecord
        {
            Address = address,
            Pool = pool.Name,
            Mac = mac,
            Node = options.Node,
            Interface = uplink.Interface,
            DetectedAt = clock.GetUtcNow(),
        };
        registry.Quarantine(pool.Name, record);
        metrics.Conflicted(pool.Name);
        LogConflict(address, pool.Name, mac, uplink.ToString());
        await store.QuarantineAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next free address of the family, from the pool that conflicted onwards (its fallbacks after it).</summary>
    private (PoolSpec, IpAddress)? TakeNext(IReadOnlyList<PoolSpec> pools, PoolSpec from)
    {
        foreach (PoolSpec pool in pools.SkipWhile(p => p.Name != from.Name))
        {
            if (registry.TryTake(pool.Name) is { } address)
            {
                return (pool, address);
            }
        }

        return null;
    }

    private void Release(IEnumerable<(PoolSpec Pool, IpAddress Address)> picks)
    {
        foreach ((PoolSpec pool, IpAddress address) in picks)
        {
            registry.Release(pool.Name, address);
        }
    }

    private static Failure RequestedInUse(IpAddress address, string mac, Uplink uplink) => new(
        "address-conflicts",
        409,
        $"the requested address {address} is in use on the underlay: {mac} answered for it on {uplink}; it is quarantined "
        + "(see 'underpoolctl conflict list'); free it on that host or request another address",
        104);

    private Failure TooManyConflicts(IReadOnlyList<PoolSpec> pools, int conflicts, Uplink uplink) => new(
        "address-conflicts",
        409,
        $"{conflicts} candidate {pools[0].Family.ToDisplay()} addresses of {string.Join(", ", pools.Select(p => $"'{p.Name}'"))} "
        + $"answered on {uplink} (another host holds them) and no free address was left to try"
        + (conflicts > options.MaxConflictsPerAdd ? $" within {options.MaxConflictsPerAdd} tries" : string.Empty)
        + "; they are quarantined: see 'underpoolctl conflict list', and find the hosts by their MACs",
        104);

    [LoggerMessage(Level = LogLevel.Debug, Message = "not probing {Addresses}: no uplink known (no netconf master and no --uplink)")]
    private partial void LogNoUplink(string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not probe {Addresses} on {Uplink}: {Error}; handing out unprobed")]
    private partial void LogProbeFailed(string addresses, string uplink, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "conflict: {Address} of pool {Pool} is held by {Mac} on {Uplink}; quarantined, picking another")]
    private partial void LogConflict(IpAddress address, string pool, string mac, string uplink);
}
