using Microsoft.Extensions.Logging;
using Underpool.Agent.Attachments;
using Underpool.Agent.Failures;
using Underpool.Agent.Observability;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Pools;

/// <summary>Application pools: a fixed set of addresses carved from a subnet pool for one stateless application, so
/// its address set never changes while it scales within the set.</summary>
/// <remarks>Carved addresses stay allocated in the parent pool, to the application pool (one record each, network
/// <see cref="CarveNetwork"/>), so the parent never hands them out: the store's create-if-absent guarantees it, as for
/// any allocation. The application pool lists them as its ranges; resizing updates its spec (a new generation, so an
/// ADD that picked a removed address commits stale and picks again).</remarks>
internal sealed partial class AppPoolService
{
    /// <summary>The network of carve records (<see cref="AllocationKind.Carve"/>).</summary>
    public const string CarveNetwork = AllocationRecord.CarveNetwork;

    /// <summary>The owner kind of carve records.</summary>
    public const string CarveOwnerKind = "AppPool";

    public const int MaxSize = 4096;

    /// <summary>The metrics reason of carved addresses given back to the parent.</summary>
    private const string MetricReason = "app-pool";

    private const int MaxRounds = 8;

    private readonly IIpamStore _store;
    private readonly PoolRegistry _registry;
    private readonly PoolAdminService _admin;
    private readonly AgentOptions _options;
    private readonly AttachmentRelease _release;
    private readonly TimeProvider _clock;
    private readonly ILogger<AppPoolService> _log;

    public AppPoolService(
        IIpamStore store, PoolRegistry registry, PoolAdminService admin, AgentOptions options, AttachmentRelease release, TimeProvider clock, ILogger<AppPoolService> log)
    {
        _store = store;
        _registry = registry;
        _admin = admin;
        _options = options;
        _release = release;
        _clock = clock;
        _log = log;
    }

    public async Task<Outcome<PoolView>> CreateAsync(AppPoolCreate request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ValidateCreate(request) is { } invalid)
        {
            return invalid;
        }

        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        if (!_registry.Pools.TryGetValue(request.Parent, out PoolSpec? parent))
        {
            return new Failure(ProblemKinds.UnknownPool, $"no pool named '{request.Parent}' to carve from; 'underpoolctl pool list' shows the pools");
        }

        if (parent.App is not null)
        {
            return Failure.InvalidRequest($"'{parent.Name}' is itself an application pool; carve from the subnet pool it came from ({parent.Parent})");
        }

        if (CarveRefusal(parent) is { } refused)
        {
            return refused;
        }

        if (_registry.Pools.ContainsKey(request.Name))
        {
            // Checked before carving too, so a taken name costs no carve and uncarve.
            return PoolAdminService.NameTaken(request.Name);
        }

        Outcome<List<IpAddress>> carved = await CarveAsync(parent, request.Name, request.Size, cancellationToken).ConfigureAwait(false);
        if (!carved.IsSuccess)
        {
            return carved.Failure;
        }

        var spec = new PoolSpec
        {
            Name = request.Name,
            Ranges = AddressRuns.Of(carved.Value!),
            Subnet = parent.Subnet,
            Gateway = parent.Gateway,
            Routes = parent.Routes,
            Vlan = parent.Vlan,
            Affinity = parent.Affinity,
            Probe = parent.Probe,
            CheckGateway = parent.CheckGateway,
            Parent = parent.Name,
            App = request.App,
            Keep = request.Keep,
        };
        Outcome<PoolSpec> stored = await _admin.StoreNewAsync(spec, cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess)
        {
            await UncarveAsync(request.Name, carved.Value!, cancellationToken).ConfigureAwait(false);
            return stored.Failure;
        }

        LogCreated(spec.Name, request.App, parent.Name, request.Size);
        return _admin.View(stored.Value!);
    }

    /// <summary>Grows (carving more of the parent) or shrinks (freeing only unused addresses) an application pool.</summary>
    public async Task<Outcome<PoolView>> ScaleAsync(string name, AppPoolScale request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Size is < 1 or > MaxSize)
        {
            return Failure.InvalidRequest($"size {request.Size} is out of range (1-{MaxSize})");
        }

        for (int round = 0; round < MaxRounds; round++)
        {
            await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
            Outcome<(PoolSpec Pool, PoolSpec Parent)> found = FindAppPool(name);
            if (!found.IsSuccess)
            {
                return found.Failure;
            }

            (PoolSpec pool, PoolSpec parent) = found.Value;
            List<IpAddress> current = AddressRuns.Addresses(pool.Ranges);
            if (request.Size == current.Count)
            {
                return _admin.View(pool);
            }

            Outcome<PoolView?> scaled = request.Size > current.Count
                ? await GrowAsync(pool, parent, current, request.Size - current.Count, cancellationToken).ConfigureAwait(false)
                : await ShrinkAsync(pool, current, current.Count - request.Size, cancellationToken).ConfigureAwait(false);
            if (!scaled.IsSuccess || scaled.Value is not null)
            {
                return scaled.IsSuccess ? scaled.Value! : scaled.Failure;
            }

            // The pool changed meanwhile (another agent scaled it): look again.
        }

        return Failure.StoreUnavailable($"application pool '{name}' kept changing while being resized; try again");
    }

    /// <summary>Deletes an application pool and gives its addresses back to the parent.</summary>
    public async Task<Outcome<PoolDeleteResponse>> DeleteAsync(string name, bool force, CancellationToken cancellationToken)
    {
        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        Outcome<(PoolSpec Pool, PoolSpec Parent)> found = FindAppPool(name);
        if (!found.IsSuccess && found.Failure.Status != 409)
        {
            return found.Failure;
        }

        Outcome<PoolDeleteResponse> deleted = await _admin.DeleteAsync(name, force, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
        {
            return deleted;
        }

        // Each address counts once: a replica's address is both its allocation in the application pool (released by the
        // forced delete) and a carve in the parent; adding the two said 11 freed for a set of 8 with 3 replicas.
        long uncarved = await UncarveAllAsync(name, cancellationToken).ConfigureAwait(false);
        return new PoolDeleteResponse { Name = name, Released = uncarved, TakenFromHolders = deleted.Value!.Released };
    }

    /// <summary>The application was deleted: its application pools go (with whatever they still hold) unless kept.</summary>
    public async Task<Outcome<AppReclaimResponse>> ReclaimAsync(AppReclaim request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!AppKey.IsValid(request.App))
        {
            return Failure.InvalidRequest($"app '{request.App}' must be NAMESPACE/NAME, like shop/web");
        }

        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        List<PoolSpec> pools = _registry.Pools.Values.Where(p => p.App == request.App).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var deleted = new List<string>();
        long released = 0;
        long takenFromReplicas = 0;
        foreach (PoolSpec pool in pools.Where(p => !p.Keep))
        {
            Outcome<PoolDeleteResponse> gone = await DeleteAsync(pool.Name, force: true, cancellationToken).ConfigureAwait(false);
            if (!gone.IsSuccess)
            {
                return gone.Failure;
            }

            deleted.Add(pool.Name);
            released += gone.Value!.Released;
            takenFromReplicas += gone.Value.TakenFromHolders;
        }

        return new AppReclaimResponse
        {
            Deleted = deleted,
            Kept = pools.Where(p => p.Keep).Select(p => p.Name).ToList(),
            Released = released,
            TakenFromReplicas = takenFromReplicas,
        };
    }

    private static Failure? ValidateCreate(AppPoolCreate request)
    {
        if (!PoolName.IsValid(request.Name))
        {
            return Failure.InvalidRequest($"pool name '{request.Name}' is not valid: {PoolName.Rule}");
        }

        if (!AppKey.IsValid(request.App))
        {
            return Failure.InvalidRequest($"app '{request.App}' must be NAMESPACE/NAME, like shop/web");
        }

        return request.Size is < 1 or > MaxSize ? Failure.InvalidRequest($"size {request.Size} is out of range (1-{MaxSize})") : null;
    }

    private Outcome<(PoolSpec Pool, PoolSpec Parent)> FindAppPool(string name)
    {
        IReadOnlyDictionary<string, PoolSpec> pools = _registry.Pools;
        if (!pools.TryGetValue(name, out PoolSpec? pool))
        {
            return new Failure(ProblemKinds.UnknownPool, $"no pool named '{name}'; 'underpoolctl app-pool list' shows the application pools");
        }

        if (pool.App is null || pool.Parent is null)
        {
            return Failure.InvalidRequest($"'{name}' is not an application pool; use 'underpoolctl pool' for it");
        }

        return pools.TryGetValue(pool.Parent, out PoolSpec? parent)
            ? (pool, parent)
            : new Failure(ProblemKinds.ParentGone, $"application pool '{name}' was carved from '{pool.Parent}', which no longer exists");
    }

    /// <returns>The new view, or null when the pool changed meanwhile (the caller retries).</returns>
    private async Task<Outcome<PoolView?>> GrowAsync(PoolSpec pool, PoolSpec parent, List<IpAddress> current, int more, CancellationToken cancellationToken)
    {
        if (CarveRefusal(parent) is { } refused)
        {
            return refused;
        }

        Outcome<List<IpAddress>> carved = await CarveAsync(parent, pool.Name, more, cancellationToken).ConfigureAwait(false);
        if (!carved.IsSuccess)
        {
            return carved.Failure;
        }

        PoolSpec grown = pool with { Ranges = AddressRuns.Of([.. current, .. carved.Value!]) };
        if (await _store.UpdatePoolAsync(grown, new PoolUpdateGuard(pool.Generation), cancellationToken).ConfigureAwait(false) != PoolUpdateStatus.Updated)
        {
            await UncarveAsync(pool.Name, carved.Value!, cancellationToken).ConfigureAwait(false);
            return (PoolView?)null;
        }

        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        LogScaled(pool.Name, current.Count, current.Count + more);
        return _admin.View(_registry.Pools[pool.Name]);
    }

    /// <returns>The new view, or null when the pool changed meanwhile (the caller retries).</returns>
    private async Task<Outcome<PoolView?>> ShrinkAsync(PoolSpec pool, List<IpAddress> current, int fewer, CancellationToken cancellationToken)
    {
        // The highest unused addresses go; an address in use is never taken from under a replica.
        List<IpAddress> unused = current.Where(a => !_registry.IsUsed(pool.Name, a)).OrderDescending().Take(fewer).ToList();
        if (unused.Count < fewer)
        {
            return new Failure(
                ProblemKinds.AppPoolInUse,
                $"application pool '{pool.Name}' can shrink by {unused.Count} at most: {current.Count - unused.Count} of its "
                + $"{current.Count} addresses are in use, and shrinking frees unused addresses only");
        }

        var removed = unused.ToHashSet();
        PoolSpec shrunk = pool with { Ranges = AddressRuns.Of(current.Where(a => !removed.Contains(a)).ToList()) };
        if (await _store.UpdatePoolAsync(shrunk, new PoolUpdateGuard(pool.Generation), cancellationToken).ConfigureAwait(false) != PoolUpdateStatus.Updated)
        {
            return (PoolView?)null;
        }

        // Only after the update: an ADD that picked a removed address from the old spec now commits stale.
        await UncarveAsync(pool.Name, unused, cancellationToken).ConfigureAwait(false);
        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        LogScaled(pool.Name, current.Count, current.Count - fewer);
        return _admin.View(_registry.Pools[pool.Name]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "created application pool {Pool} for {App}: {Size} addresses carved from {Parent}")]
    private partial void LogCreated(string pool, string app, string parent, int size);

    [LoggerMessage(Level = LogLevel.Information, Message = "resized application pool {Pool} from {From} to {To} addresses")]
    private partial void LogScaled(string pool, int from, int to);
}
