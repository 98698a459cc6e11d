using Microsoft.Extensions.Logging;
using Underpool.Agent.Add;
using Underpool.Agent.Failures;
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
internal sealed partial class ConflictScreen
{
    private readonly ProbeRunner _probes;
    private readonly AnswerSettlement _settlement;
    private readonly IIpamStore _store;
    private readonly PoolRegistry _registry;
    private readonly AgentMetrics _metrics;
    private readonly AgentOptions _options;
    private readonly ILogger<ConflictScreen> _log;
    private readonly TimeProvider _clock;

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

    /// <summary>Probes the candidates of <paramref name="lease"/> (one per family, from <paramref name="families"/> in
    /// order) and replaces in the lease the ones that cannot be given. On failure the lease still holds what it holds:
    /// its owner gives that back.</summary>
    /// <param name="exact">Addresses the runtime asked for: another one would not do, so they fail the ADD instead.</param>
    public async Task<Failure?> ScreenAsync(
        CandidateLease lease,
        IReadOnlyList<IReadOnlyList<PoolSpec>> families,
        Uplink? uplink,
        IReadOnlyCollection<IpAddress> exact,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(families);
        ArgumentNullException.ThrowIfNull(exact);
        List<int> pending = Enumerable.Range(0, lease.Count).Where(i => lease[i].Pool.Probe ?? _options.Probe).ToList();
        if (pending.Count == 0)
        {
            return null;
        }

        if (uplink is null)
        {
            LogNoUplink(string.Join(", ", pending.Select(i => lease[i].Address)));
            return null;
        }

        var round = new Round(lease, families, uplink, exact, new Tally());
        while (pending.Count > 0)
        {
            IReadOnlyList<ProbeAnswer>? answers = await _probes.ProbeAsync(uplink, pending.Select(i => lease[i].Address).ToList(), cancellationToken)
                .ConfigureAwait(false);
            if (answers is null)
            {
                return null;
            }

            Outcome<List<int>> replaced = await ReplaceAnsweredAsync(round, pending, answers, cancellationToken).ConfigureAwait(false);
            if (!replaced.IsSuccess)
            {
                return replaced.Failure;
            }

            pending = replaced.Value!;
        }

        return null;
    }

    /// <summary>Sets aside every candidate that was answered for, and takes the next of its family in its place.</summary>
    /// <returns>The slots replaced (to probe next), or why the ADD cannot go on.</returns>
    private async Task<Outcome<List<int>>> ReplaceAnsweredAsync(
        Round round, List<int> pending, IReadOnlyList<ProbeAnswer> answers, CancellationToken cancellationToken)
    {
        var replaced = new List<int>();
        for (int n = 0; n < pending.Count; n++)
        {
            if (answers[n].Finding == ProbeFinding.Clear)
            {
                continue;
            }

            // One candidate at a time, set aside then replaced: on a failure every other one is still held by the lease.
            int i = pending[n];
            Candidate answered = round.Lease[i];
            Settlement verdict = await _settlement.SettleAsync(answered.Pool.Name, answers[n], cancellationToken).ConfigureAwait(false);
            if (await SetAsideAsync(round, i, verdict, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            if (replaced.Count == 0)
            {
                // Right before replacements are picked (and probed): whatever other agents committed during this
                // round is known, so the next candidates are not ones they just took.
                await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
            }

            if (Replace(round, i, answered.Pool) is { } none)
            {
                return none;
            }

            replaced.Add(i);
        }

        return replaced;
    }

    /// <summary>Takes the candidate of slot <paramref name="i"/> out of the lease the way its verdict tells the view and
    /// the store.</summary>
    /// <returns>A failure when the candidate was an address asked for, which no other address can replace.</returns>
    private async Task<Failure?> SetAsideAsync(Round round, int i, Settlement verdict, CancellationToken cancellationToken)
    {
        (PoolSpec pool, IpAddress address) = round.Lease[i];
        bool exact = round.Exact.Contains(address);
        Uplink uplink = round.Uplink;
        switch (verdict.Verdict)
        {
            case Verdict.Foreign:
                await QuarantineAsync(round.Lease, i, verdict.Mac!, uplink, cancellationToken).ConfigureAwait(false);
                round.Tally.Conflicts++;
                return exact ? ScreenFailures.RequestedInUse(address, verdict.Mac!, uplink) : null;
            case Verdict.Stale:
                // Another agent is allocating right here: the view moves its cursor elsewhere (see MarkUsed).
                round.Lease.HeldElsewhere(i);
                LogStale(address, pool.Name, verdict.Holder!.Node);
                break;
            case Verdict.Contended:
                round.Lease.GiveBackContended(i);
                LogContended(address, pool.Name, verdict.Mac ?? "?", uplink.ToString());
                break;
            case Verdict.OurNode:
                round.Lease.Release(i);
                LogHeldByOurNode(verdict.Owner!.Name, verdict.Mac!, address, pool.Name, uplink.ToString());
                break;
            default:
                round.Lease.Release(i);
                LogHeldByOurPod(verdict.Owner!.Name, verdict.Mac!, address, pool.Name, uplink.ToString());
                break;
        }

        _metrics.Settled(pool.Name, verdict.Verdict);
        round.Tally.Retries++;
        return exact ? ScreenFailures.RequestedNotGiven(address, pool, verdict, uplink) : null;
    }

    /// <summary>Takes the next candidate of the family into slot <paramref name="i"/>, from the pool that was set aside
    /// onwards (its fallbacks after it), or says why there is none.</summary>
    private Failure? Replace(Round round, int i, PoolSpec from)
    {
        IReadOnlyList<PoolSpec> pools = round.Families[i];
        Tally tally = round.Tally;
        if (tally.Conflicts > _options.MaxConflictsPerAdd)
        {
            return ScreenFailures.TooManyConflicts(pools, tally.Conflicts, _options.MaxConflictsPerAdd, round.Uplink);
        }

        if (tally.Retries > _options.MaxCommitAttempts)
        {
            return ScreenFailures.Contention(pools, tally.Retries);
        }

        IReadOnlyList<PoolSpec> rest = pools.SkipWhile(p => p.Name != from.Name).ToList();
        if (!round.Lease.TryTakeFree(i, rest))
        {
            // Addresses held back after a contention come back in under a second: that is "try again", not "full".
            if (_registry.ContendedHeldIn(rest) > 0)
            {
                return ScreenFailures.Contention(pools, tally.Retries);
            }

            return tally.Conflicts > 0
                ? ScreenFailures.TooManyConflicts(pools, tally.Conflicts, _options.MaxConflictsPerAdd, round.Uplink)
                : ScreenFailures.NothingLeft(pools, tally.Retries);
        }

        return null;
    }

    private async Task QuarantineAsync(CandidateLease lease, int i, string mac, Uplink uplink, CancellationToken cancellationToken)
    {
        (PoolSpec pool, IpAddress address) = lease[i];
        var record = new QuarantineRecord
        {
            Address = address,
            Pool = pool.Name,
            Mac = mac,
            Node = _options.Node,
            Interface = uplink.Interface,
            DetectedAt = _clock.GetUtcNow(),
        };
        lease.Quarantine(i, record);
        _metrics.Conflicted(pool.Name);
        LogConflict(address, pool.Name, mac, uplink.ToString());
        await _store.QuarantineAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One ADD's screen: its candidates, where they come from, and what it has been through.</summary>
    private sealed record Round(
        CandidateLease Lease, IReadOnlyList<IReadOnlyList<PoolSpec>> Families, Uplink Uplink, IReadOnlyCollection<IpAddress> Exact, Tally Tally);

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
