using Microsoft.Extensions.Logging;
using Underpool.Agent.Conflicts;
using Underpool.Agent.Observability;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Probe;
using Underpool.Store;

namespace Underpool.Agent.Ipam;

/// <summary>The CNI verbs as the agent serves them: ADD, DEL, CHECK and GC for the plugin.</summary>
public sealed partial class CniService
{
    /// <summary>CNI error code (Underpool's range, 100+) for a requested or kept address that cannot be given.</summary>
    public const int RequestedUnavailableCode = 104;

    private readonly IIpamStore _store;
    private readonly PoolRegistry _registry;
    private readonly AttachmentRelease _release;
    private readonly AgentMetrics _metrics;
    private readonly AgentOptions _options;
    private readonly NodeIdentity _node;
    private readonly ILogger<CniService> _log;
    private readonly TimeProvider _clock;
    private readonly ConflictScreen _conflicts;
    private readonly GatewayVerifier _gateways;
    private readonly UplinkResolver _uplinks;

    public CniService(
        IIpamStore store,
        PoolRegistry registry,
        AgentMetrics metrics,
        AgentOptions options,
        ILogger<CniService> log,
        TimeProvider clock,
        ConflictScreen conflicts,
        GatewayVerifier gateways,
        UplinkResolver uplinks)
    {
        _conflicts = conflicts;
        _gateways = gateways;
        _uplinks = uplinks;
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _registry = registry;
        _metrics = metrics;
        _release = new AttachmentRelease(store, registry, metrics);
        _options = options;
        _node = new NodeIdentity(options.Node, options.NodeLabels);
        _log = log;
        _clock = clock;
    }

    /// <summary>Allocates one address per requested family, all or nothing; a repeated ADD returns what it got before,
    /// and a static endpoint coming back under its name gets the addresses it kept.</summary>
    /// <remarks>A store that is briefly unavailable (an etcd leader election) is retried within
    /// <see cref="AgentOptions.StoreRetryBudget"/>: ADD is idempotent per attachment, so a retry after a commit whose
    /// outcome was lost finds that commit's addresses instead of taking new ones.</remarks>
    public Task<Outcome<CniAddResponse>> AddAsync(CniAddRequest request, CancellationToken cancellationToken) =>
        StoreRetry.RunAsync(() => AddOnceAsync(request, cancellationToken), _options.StoreRetryBudget, _clock, OnStoreRetry, cancellationToken);

    /// <summary>Releases what the attachment holds; an unknown attachment is not an error (DEL is idempotent, so a
    /// briefly unavailable store is retried like ADD's).</summary>
    public Task<Outcome<CniDelResponse>> DelAsync(CniDelRequest request, CancellationToken cancellationToken) =>
        StoreRetry.RunAsync(() => DelOnceAsync(request, cancellationToken), _options.StoreRetryBudget, _clock, OnStoreRetry, cancellationToken);

    private void OnStoreRetry(Exception e, int retry)
    {
        _metrics.StoreRetried();
        LogStoreRetry(retry, e.Message);
    }

    private async Task<Outcome<CniAddResponse>> AddOnceAsync(CniAddRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Outcome<AddIntent> intent = AddIntent.From(request);
        if (!intent.IsSuccess)
        {
            return intent.Failure;
        }

        AddIntent want = intent.Value!;
        AttachmentKey key = want.Key;
        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);

        // A plain ADD goes straight to the commit, whose create-if-absent on the attachment answers a repeated ADD with
        // what it holds (one store round trip instead of two). A static endpoint must find what it kept, and a
        // requested address must not be refused as taken by the very attachment that holds it: they read first.
        IReadOnlyList<AllocationRecord> existing = want.IsStatic || want.Requested.Count > 0
            ? await _store.GetAttachmentAsync(key, cancellationToken).ConfigureAwait(false)
            : [];
        if (existing.Count > 0 && !want.IsStatic)
        {
            // Idempotent ADD: a runtime retrying after a partial failure gets the same addresses, never new ones
            // (a peer's multi-NIC retry drained pools by taking a new address each time).
            LogRepeatedAdd(key, string.Join(", ", existing.Select(e => e.Address)));
            return ToResponse(existing);
        }

        if (existing.Count > 0 && await ResumeStaticAsync(want, existing, cancellationToken).ConfigureAwait(false) is { } resumed)
        {
            return resumed;
        }

        for (int attempt = 1; attempt <= _options.MaxCommitAttempts; attempt++)
        {
            // Selected again on every attempt: a stale commit means the pools may have changed under us.
            Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>> candidates = SelectCandidates(request.Pools);
            if (!candidates.IsSuccess)
            {
                return await HeldOrAsync(want, candidates.Failure, cancellationToken).ConfigureAwait(false);
            }

            IReadOnlyList<IReadOnlyList<PoolSpec>> families = want.App is { } app
                ? AppPoolSelection.Narrow(candidates.Value!, app, _registry.Pools, _registry.Problems, _node)
                : candidates.Value!;
            if (want.Asked.CheckPrefixes(families) is { } wrongPrefix)
            {
                return wrongPrefix;
            }

            Outcome<List<(PoolSpec Pool, IpAddress Address)>> picked = Pick(families, want.Requested);
            if (!picked.IsSuccess)
            {
                return await HeldOrAsync(want, picked.Failure, cancellationToken).ConfigureAwait(false);
            }

            List<(PoolSpec Pool, IpAddress Address)> picks = picked.Value!;

            // Before anything is written: a candidate another host answers for is quarantined and replaced, and the
            // gateway is checked only after that (see GatewayVerifier for why not at once).
            Uplink? uplink = _uplinks.For(request.Uplink);
            Failure? refused;
            try
            {
                refused = await _conflicts.ScreenAsync(picks, families, uplink, cancellationToken, [.. want.Requested.Values])
                    .ConfigureAwait(false);
                if (refused is null
                    && await _gateways.VerifyAsync(picks.Select(p => p.Pool).DistinctBy(p => p.Name), uplink, cancellationToken)
                        .ConfigureAwait(false) is { } unreachable)
                {
                    ReleaseLocally(picks);
                    refused = unreachable;
                }
            }
            catch
            {
                ReleaseLocally(picks);
                throw;
            }

            if (refused is not null)
            {
                return refused;
            }

            DateTimeOffset now = _clock.GetUtcNow();
            List<AllocationRecord> records = picks.Select(p => new AllocationRecord
            {
                Pool = p.Pool.Name,
                PoolGeneration = p.Pool.Generation,
                Address = p.Address,
                Attachment = key,
                Node = _node.Name,
                NetNs = request.Attachment.NetNs,
                PodNamespace = request.Attachment.PodNamespace,
                PodName = request.Attachment.PodName,
                PodUid = request.Attachment.PodUid,
                CreatedAt = now,
                Static = want.IsStatic,
                RuntimeContainerId = want.IsStatic ? request.Attachment.ContainerId : null,
                OwnerKind = want.Owner?.Kind,
                OwnerName = want.Owner?.Name,
            }).ToList();

            CommitOutcome outcome;
            try
            {
                outcome = await _store.TryCommitAsync(records, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Nothing was written (the commit is all or nothing): give the candidates back to the view.
                ReleaseLocally(picks);
                throw;
            }

            switch (outcome.Status)
            {
                case CommitStatus.Committed:
                    foreach (AllocationRecord record in records)
                    {
                        _metrics.Allocated(record.Pool);
                    }

                    LogAllocated(key, string.Join(", ", records.Select(r => $"{r.Address} ({r.Pool})")), attempt);

                    return ToResponse(records);

                case CommitStatus.AttachmentExists:
                    // A repeated ADD, or a concurrent one that won: answer with what the attachment holds, never new
                    // addresses (a peer's multi-NIC retry drained pools by taking a new address each time).
                    ReleaseLocally(picks);
                    LogRepeatedAdd(key, string.Join(", ", outcome.Existing.Select(e => e.Address)));
                    return ToResponse(outcome.Existing);

                case CommitStatus.Stale:
                    // A pool changed or an address was reserved since the last catch-up: nothing was written.
                    ReleaseLocally(picks);
                    LogStaleCommit(key, attempt);
                    await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                    break;

                default:
                    // Another agent holds some candidates: remember them as used, free the rest, pick again.
                    var taken = outcome.Taken.ToHashSet();
                    foreach ((PoolSpec pool, IpAddress address) in picks)
                    {
                        if (taken.Contains((pool.Name, address)))
                        {
                            _registry.MarkUsed(pool.Name, address);
                        }
                        else
                        {
                            _registry.Release(pool.Name, address);
                        }
                    }

                    _metrics.Collided(taken.Count);
                    if (picks.FirstOrDefault(p => taken.Contains((p.Pool.Name, p.Address)) && want.Requested.Values.Contains(p.Address)) is { Pool: not null } lost)
                    {
                        // An exact address was asked for: another endpoint got it first; picking another would be wrong.
                        return RequestedTaken(lost.Address, lost.Pool);
                    }

                    await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        return new Failure(
            "contention",
            503,
            $"gave up after {_options.MaxCommitAttempts} attempts: every address picked was taken by another agent first "
            + "or the pools kept changing; try again",
            11);
    }

    private async Task<Outcome<CniDelResponse>> DelOnceAsync(CniDelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AttachmentMapping.Validate(request.Attachment, checkNetNs: false) is { } invalid)
        {
            return Failure.InvalidRequest(invalid);
        }

        AttachmentKey key = AttachmentMapping.ToKey(request.Attachment);
        IReadOnlyList<AllocationRecord> released = await _release.ReleaseAsync(key, "del", cancellationToken).ConfigureAwait(false);
        if (released.Count == 0 && Import.ImportKeys.PodKeyOf(request.Attachment) is { } imported)
        {
            // Imported from an IPAM that kept no container id (Spiderpool): filed under the pod, released by its DEL.
            key = imported;
            released = await _release.ReleaseAsync(key, "del", cancellationToken).ConfigureAwait(false);
        }
        IReadOnlyDictionary<string, PoolSpec> pools = _registry.Pools;

        if (released.Count > 0)
        {
            LogReleased(key, string.Join(", ", released.Select(r => r.Address)), "del");
        }
        else
        {
            await StopStaticAsync(request.Attachment, cancellationToken).ConfigureAwait(false);
        }

        return new CniDelResponse
        {
            Released = released.Select(r => AttachmentMapping.ToAssigned(r, pools.GetValueOrDefault(r.Pool))).ToList(),
        };
    }

    private void ReleaseLocally(IEnumerable<(PoolSpec Pool, IpAddress Address)> picks)
    {
        foreach ((PoolSpec pool, IpAddress address) in picks)
        {
            _registry.Release(pool.Name, address);
        }
    }

    private CniAddResponse ToResponse(IReadOnlyList<AllocationRecord> records)
    {
        IReadOnlyDictionary<string, PoolSpec> pools = _registry.Pools;
        var routes = new List<AssignedRoute>();
        foreach (PoolSpec pool in records.Select(r => pools.GetValueOrDefault(r.Pool)).OfType<PoolSpec>())
        {
            routes.AddRange(pool.Routes.Select(route => new AssignedRoute
            {
                Dst = route.Destination.ToString(),
                Gw = (route.Gateway ?? pool.Gateway)?.ToString(),
            }));
        }

        return new CniAddResponse
        {
            Ips = records.OrderBy(r => r.Address.Family)
                .Select(r => AttachmentMapping.ToAssigned(r, pools.GetValueOrDefault(r.Pool)))
                .ToList(),
            Routes = routes,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "store unavailable (retry {Retry}): {Error}; retrying while the budget lasts")]
    private partial void LogStoreRetry(int retry, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "allocated {Addresses} to {Attachment} on attempt {Attempt}")]
    private partial void LogAllocated(AttachmentKey attachment, string addresses, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "ADD for {Attachment}: pools or reserved addresses changed before attempt {Attempt} committed; picking again")]
    private partial void LogStaleCommit(AttachmentKey attachment, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "ADD repeated for {Attachment}: returning its addresses {Addresses}")]
    private partial void LogRepeatedAdd(AttachmentKey attachment, string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "released {Addresses} of {Attachment} ({Reason})")]
    private partial void LogReleased(AttachmentKey attachment, string addresses, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GC could not release {Attachment}: {Error}; continuing with the others")]
    private partial void LogGcFailed(AttachmentKey attachment, string error);
}
