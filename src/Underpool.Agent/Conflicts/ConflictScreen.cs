using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Underpool.Agent.Nodes;
using Underpool.Agent.Ipam;
using Underpool.Agent.Observability;
using Underpool.Agent.Pools;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Probe;
using Underpool.Store;

namespace Underpool.Agent.Conflicts;

/// <summary>Probes an ADD's candidates on the uplink before they are committed. A candidate a foreign host answers
/// for is quarantined; one another agent is probing at the same moment, one the store shows allocated (a stale pick),
/// and one our own node or pod answers for are set aside without quarantine. Each is replaced by the next candidate
/// of its family, so the pod still starts first time.</summary>
/// <remarks>The candidates of a dual-stack ADD are probed together. Probing fails open: when the uplink cannot be
/// used (a typo in --uplink-netns, a missing master) the ADD goes on unprobed and the agent logs a warning, since
/// macvlan itself will fail on a missing master and a broken probe must not stop every pod on the node.</remarks>
public sealed partial class ConflictScreen
{
    private readonly ProbeRunner _probes;
    private readonly AnswerSettlement _settlement;
    private readonly IIpamStore _store;
    private readonly PoolRegistry _registry;
    private readonly AgentMetrics _metrics;
    private readonly AgentOptions _options;
    private readonly ILogger<ConflictScreen> _log;
    private readonly TimeProvider _clock;

    [ActivatorUtilitiesConstructor]
    public ConflictScreen(
        ProbeRunner probes,
        AnswerSettlement settlement,
        IIpamStore store,
        PoolRegistry registry,
        AgentMetrics metrics,
        AgentOptions options,
        ILogger<ConflictScreen> log,
        TimeProvider clock)
    {
        _probes = probes;
        _settlement = settlement;
        _store = store;
        _registry = registry;
        _metrics = metrics;
        _options = options;
        _log = log;
        _clock = clock;
    }

    /// <summary>A screen with parts of its own, for callers that build the agent's services by hand (the request
    /// benchmark): the MACs it learns are known to nobody else, so an agent uses the constructor above.</summary>
    public ConflictScreen(
        IAddressProber prober,
        IIpamStore store,
        PoolRegistry registry,
        AgentMetrics metrics,
        AgentOptions options,
        ILogger<ConflictScreen> log,
        TimeProvider clock)
        : this(
            new ProbeRunner(prober, metrics, options, new LocalUplinks(), NullLogger<ProbeRunner>.Instance),
            new AnswerSettlement(store, registry, new MacDirectory(store, new LocalUplinks(), options, clock)),
            store,
            registry,
            metrics,
            options,
            log,
            clock)
    {
    }

    /// <summary>Probes <paramref name="picks"/> (one per family, from <paramref name="families"/> in order) and replaces
    /// the ones that cannot be given in place. On failure every pick still held is given back to the view.</summary>
    /// <param name="exact">Addresses the runtime asked for: another one would not do, so they fail the ADD instead.</param>
    public async Task<Failure?> ScreenAsync(
        List<(PoolSpec Pool, IpAddress Address)> picks,
        IReadOnlyList<IReadOnlyList<PoolSpec>> families,
        Uplink? uplink,
        CancellationToken cancellationToken,
        IReadOnlyCollection<IpAddress>? exact = null)
    {
        List<int> pending = Enumerable.Range(0, picks.Count).Where(i => picks[i].Pool.Probe ?? _options.Probe).ToList();
        if (pending.Count == 0)
        {
            return null;
        }

        if (uplink is null)
        {
            LogNoUplink(string.Join(", ", pending.Select(i => picks[i].Address)));
            return null;
        }

        var tally = new Tally();
        while (pending.Count > 0)
        {
            IReadOnlyList<ProbeAnswer>? answers = await _probes.ProbeAsync(uplink, pending.Select(i => picks[i].Address).ToList(), cancellationToken)
                .ConfigureAwait(false);
            if (answers is null)
            {
                return null;
            }

            var replaced = new List<int>();
            for (int n = 0; n < pending.Count; n++)
            {
                if (answers[n].Finding == ProbeFinding.Clear)
                {
                    continue;
                }

                // One pick at a time, set aside then replaced: on a failure every other pick is one still held.
                int i = pending[n];
                Settlement verdict = await _settlement.SettleAsync(picks[i].Pool.Name, answers[n], cancellationToken).ConfigureAwait(false);
                bool isExact = exact?.Contains(picks[i].Address) == true;
                if (await SetAsideAsync(picks[i], verdict, uplink, isExact, tally, cancellationToken).ConfigureAwait(false) is { } refused)
                {
                    return Abandon(picks, i, refused);
                }

                if (replaced.Count == 0)
                {
                    // Right before replacements are picked (and probed): whatever other agents committed during this
                    // round is known, so the next candidates are not ones they just took.
                    await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                }

                if (Replace(picks, i, families[i], tally, uplink) is { } none)
                {
                    return Abandon(picks, i, none);
                }

                replaced.Add(i);
            }

            pending = replaced;
        }

        return null;
    }

    /// <summary>Probes one address for anybody at all: a quarantined address to free, or a gateway to reach.</summary>
    /// <returns>The answer, or null when the uplink could not be used (logged).</returns>
    public Task<ProbeAnswer?> ProbeOneAsync(Uplink uplink, IpAddress address, CancellationToken cancellationToken) =>
        _probes.ProbeOneAsync(uplink, address, cancellationToken);

    /// <summary>Records what a verdict tells the view and the store about a candidate that will not be handed out.</summary>
    /// <returns>A failure when the candidate was an address asked for, which no other address can replace.</returns>
    private async Task<Failure?> SetAsideAsync(
        (PoolSpec Pool, IpAddress Address) pick, Settlement verdict, Uplink uplink, bool exact, Tally tally, CancellationToken cancellationToken)
    {
        (PoolSpec pool, IpAddress address) = pick;
        switch (verdict.Verdict)
        {
            case Verdict.Foreign:
                await QuarantineAsync(pool, address, verdict.Mac!, uplink, cancellationToken).ConfigureAwait(false);
                tally.Conflicts++;
                return exact ? ScreenFailures.RequestedInUse(address, verdict.Mac!, uplink) : null;
            case Verdict.Stale:
                // Another agent is allocating right here: the view moves its cursor elsewhere (see MarkUsed).
                _registry.MarkUsed(pool.Name, address);
                LogStale(address, pool.Name, verdict.Holder!.Node);
                break;
            case Verdict.Contended:
                _registry.GiveBack(pool.Name, address);
                LogContended(address, pool.Name, verdict.Mac ?? "?", uplink.ToString());
                break;
            case Verdict.OurNode:
                _registry.Release(pool.Name, address);
                LogHeldByOurNode(verdict.Owner!.Name, verdict.Mac!, address, pool.Name, uplink.ToString());
                break;
            default:
                _registry.Release(pool.Name, address);
                LogHeldByOurPod(verdict.Owner!.Name, verdict.Mac!, address, pool.Name, uplink.ToString());
                break;
        }

        _metrics.Settled(pool.Name, verdict.Verdict);
        tally.Retries++;
        return exact ? ScreenFailures.RequestedNotGiven(address, pool, verdict, uplink) : null;
    }

    /// <summary>Puts the next candidate of the family in place of pick <paramref name="i"/>, or says why there is none.</summary>
    private Failure? Replace(
        List<(PoolSpec Pool, IpAddress Address)> picks, int i, IReadOnlyList<PoolSpec> pools, Tally tally, Uplink uplink)
    {
        if (tally.Conflicts > _options.MaxConflictsPerAdd)
        {
            return ScreenFailures.TooManyConflicts(pools, tally.Conflicts, _options.MaxConflictsPerAdd, uplink);
        }

        if (tally.Retries > _options.MaxCommitAttempts)
        {
            return ScreenFailures.Contention(pools, tally.Retries);
        }

        if (TakeNext(pools, picks[i].Pool) is not { } next)
        {
            return tally.Conflicts > 0
                ? ScreenFailures.TooManyConflicts(pools, tally.Conflicts, _options.MaxConflictsPerAdd, uplink)
                : ScreenFailures.NothingLeft(pools, tally.Retries);
        }

        picks[i] = next;
        return null;
    }

    private async Task QuarantineAsync(PoolSpec pool, IpAddress address, string mac, Uplink uplink, CancellationToken cancellationToken)
    {
        var record = new QuarantineRecord
        {
            Address = address,
            Pool = pool.Name,
            Mac = mac,
            Node = _options.Node,
            Interface = uplink.Interface,
            DetectedAt = _clock.GetUtcNow(),
        };
        _registry.Quarantine(pool.Name, record);
        _metrics.Conflicted(pool.Name);
        LogConflict(address, pool.Name, mac, uplink.ToString());
        await _store.QuarantineAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next free address of the family, from the pool that was set aside onwards (its fallbacks after it).</summary>
    private (PoolSpec, IpAddress)? TakeNext(IReadOnlyList<PoolSpec> pools, PoolSpec from)
    {
        foreach (PoolSpec pool in pools.SkipWhile(p => p.Name != from.Name))
        {
            if (_registry.TryTake(pool.Name) is { } address)
            {
                return (pool, address);
            }
        }

        return null;
    }

    /// <summary>Ends the screen with <paramref name="refused"/>: pick <paramref name="settled"/> is already set aside,
    /// every other pick goes back to the view.</summary>
    private Failure Abandon(List<(PoolSpec Pool, IpAddress Address)> picks, int settled, Failure refused)
    {
        picks.RemoveAt(settled);
        foreach ((PoolSpec pool, IpAddress address) in picks)
        {
            _registry.Release(pool.Name, address);
        }

        return refused;
    }

    /// <summary>What one ADD's screen has been through: foreign conflicts (bounded by MaxConflictsPerAdd) and other
    /// candidates set aside (bounded like commit attempts).</summary>
    private sealed class Tally
    {
        public int Conflicts { get; set; }

        public int Retries { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "not probing {Addresses}: no uplink known (no netconf master and no --uplink)")]
    private partial void LogNoUplink(string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "conflict: {Address} of pool {Pool} is held by {Mac} on {Uplink}, a host none of our agents knows, while the store shows it free; quarantined, picking another")]
    private partial void LogConflict(IpAddress address, string pool, string mac, string uplink);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Address} of pool {Pool} was allocated meanwhile (node {Node}) and its pod answered the probe: a stale pick, picking another")]
    private partial void LogStale(IpAddress address, string pool, string node);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Address} of pool {Pool} is being probed by {Mac} on {Uplink} at the same moment (another agent trying it): giving it back, picking another")]
    private partial void LogContended(IpAddress address, string pool, string mac, string uplink);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}'s uplink ({Mac}) answers for {Address} of pool {Pool} on {Uplink}, which the store shows free: that node holds the address itself; not handing it out now and not quarantining it (remove it from the node, or exclude it from the pool)")]
    private partial void LogHeldByOurNode(string node, string mac, IpAddress address, string pool, string uplink);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Pod}'s interface ({Mac}) answers for {Address} of pool {Pool} on {Uplink}, which the store shows free (a pod going away, or one holding an address it was not given): not handing it out now and not quarantining it")]
    private partial void LogHeldByOurPod(string pod, string mac, IpAddress address, string pool, string uplink);
}
