using Microsoft.Extensions.Logging;
using Underpool.Agent.Attachments;
using Underpool.Agent.Failures;
using Underpool.Agent.Observability;
using Underpool.Api.Contracts;
using Underpool.Core.Allocation;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Pools;

/// <summary>Pools, reserved addresses and allocation listings: what underpoolctl asks for.</summary>
internal sealed partial class PoolAdminService
{
    private const int MaxCreateAttempts = 8;
    private readonly IIpamStore _store;
    private readonly PoolRegistry _registry;
    private readonly AgentMetrics _metrics;
    private readonly ILogger<PoolAdminService> _log;

    public PoolAdminService(IIpamStore store, PoolRegistry registry, AgentMetrics metrics, ILogger<PoolAdminService> log)
    {
        _store = store;
        _registry = registry;
        _metrics = metrics;
        _log = log;
    }

    public async Task<Outcome<PoolView>> CreateAsync(PoolDefinition definition, CancellationToken cancellationToken)
    {
        Outcome<PoolSpec> parsed = ParseNew(definition);
        if (!parsed.IsSuccess)
        {
            return parsed.Failure;
        }

        PoolSpec spec = parsed.Value!;
        Outcome<PoolSpec> stored = await StoreNewAsync(spec, cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess)
        {
            return stored.Failure;
        }

        LogPoolCreated(spec.Name, spec.Subnet);
        return View(stored.Value!);
    }

    /// <summary>A new pool's definition parsed and checked against every pool rule (not yet against the other pools:
    /// <see cref="StoreNewAsync"/> does that in the same step as it stores).</summary>
    internal static Outcome<PoolSpec> ParseNew(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<string>();
        PoolSpec? spec = PoolDefinitionMapper.TryParse(definition, errors);
        if (spec is null)
        {
            return new Failure(ProblemKinds.InvalidPool, string.Join("; ", errors));
        }

        IReadOnlyList<string> problems = PoolValidator.Validate(spec);
        return problems.Count > 0 ? new Failure(ProblemKinds.InvalidPool, string.Join("; ", problems)) : spec;
    }

    /// <summary>Stores a validated new pool, ordinary or carved: refused when its name is taken or it overlaps another
    /// pool of the pool set it is created in (the store refuses when that set changed meanwhile, and this checks
    /// again). Returns the pool as stored, with its generation, once the agent's view has it.</summary>
    internal async Task<Outcome<PoolSpec>> StoreNewAsync(PoolSpec spec, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < MaxCreateAttempts; attempt++)
        {
            PoolsSnapshot snapshot = await _store.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
            if (snapshot.Pools.Any(p => p.Name == spec.Name))
            {
                return NameTaken(spec.Name);
            }

            if (PoolOverlap.Find(spec, snapshot.Pools) is { Count: > 0 } overlaps)
            {
                return Overlap(overlaps);
            }

            // Optimistic: the store refuses if another agent changed the pool set since the overlap check above.
            switch (await _store.CreatePoolAsync(spec, snapshot.Revision, cancellationToken).ConfigureAwait(false))
            {
                case PoolCreateStatus.Created:
                    await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                    return _registry.Pools.GetValueOrDefault(spec.Name) ?? spec;
                case PoolCreateStatus.NameTaken:
                    return NameTaken(spec.Name);
                default:
                    continue;
            }
        }

        return Failure.StoreUnavailable($"the pool set kept changing while pool '{spec.Name}' was being created; try again");
    }

    /// <summary>The refusal of a pool that would share an address (or a subnet it does not declare) with another.</summary>
    internal static Failure Overlap(IReadOnlyList<string> overlaps) => new(ProblemKinds.PoolOverlap, string.Join("; ", overlaps));

    /// <summary>The refusal of a pool name already in use.</summary>
    internal static Failure NameTaken(string name) =>
        new(ProblemKinds.PoolExists, $"a pool named '{name}' already exists; pick another name or delete it first");

    public async Task<Outcome<IReadOnlyList<PoolView>>> ListAsync(CancellationToken cancellationToken)
    {
        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        return _registry.Pools.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(View).ToList();
    }

    public async Task<Outcome<PoolView>> GetAsync(string name, CancellationToken cancellationToken)
    {
        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        return _registry.Pools.TryGetValue(name, out PoolSpec? pool)
            ? View(pool)
            : new Failure(ProblemKinds.UnknownPool, $"no pool named '{name}'; 'underpoolctl pool list' shows the pools");
    }

    public async Task<Outcome<PoolDeleteResponse>> DeleteAsync(string name, bool force, CancellationToken cancellationToken)
    {
        PoolDeleteOutcome outcome = await _store.DeletePoolAsync(name, force, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case PoolDeleteStatus.NotFound:
                return new Failure(ProblemKinds.UnknownPool, $"no pool named '{name}'; 'underpoolctl pool list' shows the pools");
            case PoolDeleteStatus.InUse:
                return new Failure(
                    ProblemKinds.PoolInUse,
                    $"pool '{name}' still has {outcome.AllocationCount} allocated address(es); release them first, "
                    + "or delete with --force to release them (their pods keep the address configured but no longer own it)");
            default:
                for (long i = 0; i < outcome.AllocationCount; i++)
                {
                    _metrics.Released(name, "pool_delete");
                }

                await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                LogPoolDeleted(name, outcome.AllocationCount);
                return new PoolDeleteResponse { Name = name, Released = outcome.AllocationCount };
        }
    }

    public async Task<Outcome<ReservedList>> ListReservedAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<IpAddress> reserved = await _store.ListReservedAsync(cancellationToken).ConfigureAwait(false);
        return new ReservedList { Addresses = reserved.Order().Select(a => a.ToString()).ToList() };
    }

    public async Task<Outcome<ReservedChangeResponse>> ChangeReservedAsync(ReservedChange change, bool add, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var errors = new List<string>();
        List<IpAddress> addresses = PoolDefinitionMapper.ParseAddresses(change.Addresses ?? [], "reserved address", errors);
        if (errors.Count > 0 || addresses.Count == 0)
        {
            return Failure.InvalidRequest(errors.Count > 0 ? string.Join("; ", errors) : "no addresses given");
        }

        IReadOnlyList<IpAddress> changed = add
            ? await _store.AddReservedAsync(addresses, cancellationToken).ConfigureAwait(false)
            : await _store.RemoveReservedAsync(addresses, cancellationToken).ConfigureAwait(false);
        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);

        var warnings = new List<string>();
        if (add)
        {
            IReadOnlyDictionary<string, PoolSpec> pools = _registry.Pools;
            foreach (IpAddress address in changed)
            {
                PoolSpec? holder = pools.Values.FirstOrDefault(p => p.Subnet.Contains(address) && _registry.IsUsed(p.Name, address));
                if (holder is not null)
                {
                    warnings.Add($"{address} is allocated in pool '{holder.Name}' right now; it stays with its holder until released and is not handed out again");
                }
            }
        }

        return new ReservedChangeResponse { Changed = changed.Select(a => a.ToString()).ToList(), Warnings = warnings };
    }

    public async Task<Outcome<IReadOnlyList<AllocationView>>> ListAllocationsAsync(
        string? pool, string? node, string? network, CancellationToken cancellationToken)
    {
        IReadOnlyList<AllocationRecord> records = await _store
            .ListAllocationsAsync(new AllocationFilter(pool, node, network), cancellationToken)
            .ConfigureAwait(false);
        return records.OrderBy(r => r.Address).Select(AttachmentMapping.ToView).ToList();
    }

    /// <summary>A pool as the API shows it, with its usage from the agent's view.</summary>
    internal PoolView View(PoolSpec pool)
    {
        long revision = _registry.Revision; // First: the usage read next is as of this revision or a later one.
        (long used, UInt128 capacity) = _registry.Usage(pool.Name) ?? (0, new PoolAllocator(pool).Capacity);
        return new PoolView
        {
            Pool = PoolDefinitionMapper.ToDefinition(pool),
            Family = pool.Family.ToConfigKey(),
            Usage = PoolDefinitionMapper.ToUsage(used, capacity, revision),
            Problems = _registry.Problems.GetValueOrDefault(pool.Name) ?? [],
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "created pool {Pool} ({Subnet})")]
    private partial void LogPoolCreated(string pool, Core.Net.IpCidr subnet);

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted pool {Pool}, releasing {Released} allocation(s)")]
    private partial void LogPoolDeleted(string pool, long released);
}
