using Microsoft.Extensions.Logging;
using Underpool.Agent.Failures;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Pools;

/// <summary>`pool update`: changes an existing pool in place (more ranges, excluded addresses, nodes, gateway, routes,
/// disabled), validated exactly as a new pool is, including against the other pools.</summary>
/// <remarks>One optimistic write guarded in the store's own transaction (<see cref="PoolUpdateGuard"/>): the pool's
/// generation (another update wins), the pool set's revision (a pool created meanwhile might now overlap), and that
/// no address the change withdraws is allocated. The write gives the pool a new generation, so an ADD that picked a
/// withdrawn address from the old spec commits stale and picks again; an ADD that committed it first makes the update
/// refuse, naming the holder. Either order, no address is handed out once withdrawn.</remarks>
internal sealed partial class PoolUpdateService
{
    private const int MaxAttempts = 8;
    private readonly IIpamStore _store;
    private readonly PoolRegistry _registry;
    private readonly PoolAdminService _admin;
    private readonly ILogger<PoolUpdateService> _log;

    public PoolUpdateService(IIpamStore store, PoolRegistry registry, PoolAdminService admin, ILogger<PoolUpdateService> log)
    {
        _store = store;
        _registry = registry;
        _admin = admin;
        _log = log;
    }

    public async Task<Outcome<PoolView>> UpdateAsync(string name, PoolUpdate change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            PoolsSnapshot snapshot = await _store.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
            if (snapshot.Pools.FirstOrDefault(p => p.Name == name) is not { } current)
            {
                return UnknownPool(name);
            }

            var errors = new List<string>();
            if (PoolUpdateMapper.Apply(current, change, errors) is not { } updated)
            {
                return new Failure(ProblemKinds.InvalidPool, string.Join("; ", errors));
            }

            Outcome<PoolUpdateGuard> guard = PoolUpdateMapper.OnlyTogglesDisabled(change)
                ? new PoolUpdateGuard(current.Generation)
                : Check(current, updated, snapshot);
            if (!guard.IsSuccess)
            {
                return guard.Failure;
            }

            PoolUpdateStatus status = await _store.UpdatePoolAsync(updated, guard.Value!, cancellationToken).ConfigureAwait(false);
            if (status == PoolUpdateStatus.Updated)
            {
                await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                await CarryToApplicationPoolsAsync(updated, cancellationToken).ConfigureAwait(false);
                LogUpdated(name);
                return _admin.View(_registry.Pools.GetValueOrDefault(name) ?? updated);
            }

            if (status == PoolUpdateStatus.NotFound)
            {
                return UnknownPool(name);
            }

            if (status == PoolUpdateStatus.InUse && await HeldAsync(name, guard.Value!.MustBeFree, cancellationToken).ConfigureAwait(false) is { } held)
            {
                return held;
            }

            // Stale, or the holders released their addresses since: look again.
        }

        return Failure.StoreUnavailable($"pool '{name}' or the pool set kept changing while it was being updated; try again");
    }

    /// <summary>The new spec checked as a create is (every rule, the other pools), and the guard its write needs.</summary>
    private static Outcome<PoolUpdateGuard> Check(PoolSpec current, PoolSpec updated, PoolsSnapshot snapshot)
    {
        IReadOnlyList<string> problems = PoolValidator.Validate(updated);
        if (problems.Count > 0)
        {
            return new Failure(ProblemKinds.InvalidPool, string.Join("; ", problems));
        }

        if (PoolOverlap.Find(updated, snapshot.Pools) is { Count: > 0 } overlaps)
        {
            return PoolAdminService.Overlap(overlaps);
        }

        IReadOnlyList<IpAddress> withdrawn = PoolChange.Withdrawn(current, updated)
            ?? throw new InvalidOperationException("a pool update only adds ranges, so it withdraws no range");
        if (withdrawn.Count > PoolUpdateGuard.MaxMustBeFree)
        {
            return Failure.InvalidRequest(
                $"this change stops pool '{current.Name}' handing out {withdrawn.Count} addresses; one update may withdraw at most "
                + $"{PoolUpdateGuard.MaxMustBeFree}, so split it into several");
        }

        return new PoolUpdateGuard(current.Generation) { PoolSetRevision = snapshot.Revision, MustBeFree = withdrawn };
    }

    /// <summary>The refusal naming who holds the withdrawn addresses, or null when nobody does any more.</summary>
    private async Task<Failure?> HeldAsync(string pool, IReadOnlyList<IpAddress> withdrawn, CancellationToken cancellationToken)
    {
        IReadOnlyList<AllocationRecord> records = await _store
            .ListAllocationsAsync(new AllocationFilter(Pool: pool), cancellationToken)
            .ConfigureAwait(false);
        List<AllocationRecord> holders = records.Where(r => withdrawn.Contains(r.Address)).OrderBy(r => r.Address).ToList();
        if (holders.Count == 0)
        {
            return null;
        }

        return new Failure(
            ProblemKinds.AddressInUse,
            $"pool '{pool}' cannot stop handing out {string.Join(", ", holders.Select(h => h.Address))}: "
            + $"{(holders.Count == 1 ? "it is" : "they are")} allocated ({string.Join("; ", holders.Select(Holder))}); "
            + $"release {(holders.Count == 1 ? "it" : "them")} first ('underpoolctl ip list --pool {pool}' lists the holders)");
    }

    private static string Holder(AllocationRecord record)
    {
        if (record.Kind == AllocationKind.Carve)
        {
            return $"{record.Address} is carved for application pool '{record.OwnerName}'";
        }

        string pod = record.PodName is null ? string.Empty : $", pod {record.PodNamespace}/{record.PodName}";
        return $"{record.Address} to {record.Attachment} on node {record.Node}{pod}";
    }

    /// <summary>Application pools carved from <paramref name="parent"/> copy its gateway, routes and node affinity: they
    /// follow it, each with its own compare-and-swap (retried when a resize moved it meanwhile).</summary>
    private async Task CarryToApplicationPoolsAsync(PoolSpec parent, CancellationToken cancellationToken)
    {
        foreach (string child in _registry.Pools.Values.Where(p => p.Parent == parent.Name).Select(p => p.Name).ToList())
        {
            for (int attempt = 0; attempt < MaxAttempts; attempt++)
            {
                if (await _store.GetPoolAsync(child, cancellationToken).ConfigureAwait(false) is not { } pool
                    || (pool.Gateway == parent.Gateway && pool.Routes.SequenceEqual(parent.Routes) && SameAffinity(pool.Affinity, parent.Affinity)))
                {
                    break;
                }

                PoolSpec followed = pool with { Gateway = parent.Gateway, Routes = parent.Routes, Affinity = parent.Affinity };
                if (await _store.UpdatePoolAsync(followed, new PoolUpdateGuard(pool.Generation), cancellationToken).ConfigureAwait(false)
                    is PoolUpdateStatus.Updated or PoolUpdateStatus.NotFound)
                {
                    break;
                }
            }
        }

        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool SameAffinity(NodeAffinity a, NodeAffinity b) =>
        a.NodeNames.SequenceEqual(b.NodeNames, StringComparer.Ordinal) && a.NodeSelector == b.NodeSelector;

    private static Failure UnknownPool(string name) =>
        new(ProblemKinds.UnknownPool, $"no pool named '{name}'; 'underpoolctl pool list' shows the pools");

    [LoggerMessage(Level = LogLevel.Information, Message = "updated pool {Pool}")]
    private partial void LogUpdated(string pool);
}
