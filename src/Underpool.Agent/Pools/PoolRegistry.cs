using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Underpool.Core.Allocation;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Pools;

/// <summary>The agent's in-memory view of the store: pools, reserved addresses and one used set per pool, kept
/// current by replaying the store's change journal before each decision.</summary>
/// <remarks>This view is a hint for picking candidates in O(1); the store's create-if-absent commit is what
/// guarantees an address is never held twice, so a stale view costs a retry, never a duplicate.</remarks>
internal sealed class PoolRegistry : IDisposable
{
    private readonly IIpamStore _store;
    private readonly SemaphoreSlim _syncLock = new(1, 1);

    // Guards the allocators and the maps below; held only for in-memory work (microseconds), never across I/O.
    private readonly Lock _lock = new();
    private Dictionary<string, PoolAllocator> _allocators = new(StringComparer.Ordinal);
    private IReadOnlyList<IpAddress> _reserved = [];

    // Quarantined addresses block allocation exactly like reserved ones; kept apart so each list is re-read alone.
    private IReadOnlyList<QuarantineRecord> _quarantine = [];
    private long _revision = -1;

    // This agent's picks the store does not show as held yet: counted apart so usage figures are the store's.
    private readonly PendingTakes _pending = new();

    // Picks given back because another prober wanted them at the same moment: still pending, out of our picks a while.
    private readonly ContendedHolds _contended = new();
    private readonly TimeProvider _clock;

    // Pools of the store that break a pool rule (PoolValidator), with their problems: never used for new allocations.
    private readonly StoredPoolReview _review;
    private IReadOnlyDictionary<string, IReadOnlyList<string>> _problems = new Dictionary<string, IReadOnlyList<string>>();

    // Where a new pool view starts its next-fit cursor: 0 on one host (pools fill from their start, predictably);
    // spread per node on a store that many hosts share, where equal cursors would collide on every ADD.
    private readonly ulong _cursorSeed;

    public PoolRegistry(IIpamStore store, AgentOptions options, ILogger<PoolRegistry>? log = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _clock = clock ?? TimeProvider.System;
        _review = new StoredPoolReview(log ?? (ILogger)NullLogger.Instance);
        _cursorSeed = options.Store == StoreKind.Embedded ? 0 : CursorSeed.ForNode(options.Node);
    }

    /// <summary>The store revision this view reflects (-1 before the first priming).</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>Brings the view up to the store's newest revision (primes it on first use or after lost history).</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await _syncLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_revision < 0)
            {
                await PrimeAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            while (true)
            {
                StoreChangeBatch batch = await _store.ReadChangesAsync(_revision, cancellationToken).ConfigureAwait(false);
                if (batch.ResetRequired || batch.Changes.Any(c => c.Kind == StoreChangeKind.PoolsChanged))
                {
                    // Pool changes are rare and may replace a pool under the same name: rebuild from scratch.
                    await PrimeAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (batch.Changes.Count == 0)
                {
                    return;
                }

                bool reservedChanged = false;
                lock (_lock)
                {
                    foreach (StoreChange change in batch.Changes)
                    {
                        reservedChanged |= Apply(change);
                    }
                }

                bool quarantineChanged = batch.Changes.Any(c => c.Kind == StoreChangeKind.QuarantineChanged);
                if (reservedChanged || quarantineChanged)
                {
                    IReadOnlyList<IpAddress> reserved = reservedChanged
                        ? await _store.ListReservedAsync(cancellationToken).ConfigureAwait(false)
                        : Reserved;
                    IReadOnlyList<QuarantineRecord> quarantine = quarantineChanged
                        ? await _store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false)
                        : Quarantined;
                    lock (_lock)
                    {
                        _quarantine = quarantine;
                        SetReservedLocked(reserved);
                    }
                }

                Interlocked.Exchange(ref _revision, batch.Revision);
            }
        }
        finally
        {
            _syncLock.Release();
        }
    }

    /// <summary>The pools by name, as of the last catch-up.</summary>
    public IReadOnlyDictionary<string, PoolSpec> Pools
    {
        get
        {
            lock (_lock)
            {
                return _allocators.ToDictionary(kv => kv.Key, kv => kv.Value.Pool, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The pools that break a pool rule, with their problems, by name: listed with a warning, never used for
    /// new allocations (their holders keep their addresses and release them as usual).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Problems
    {
        get
        {
            lock (_lock)
            {
                return _problems;
            }
        }
    }

    public IReadOnlyList<IpAddress> Reserved
    {
        get
        {
            lock (_lock)
            {
                return _reserved;
            }
        }
    }

    /// <summary>Quarantined addresses as of the last catch-up (or this agent's own quarantining since).</summary>
    public IReadOnlyList<QuarantineRecord> Quarantined
    {
        get
        {
            lock (_lock)
            {
                return _quarantine;
            }
        }
    }

    /// <summary>Gives back an address this agent took and found in conflict, and blocks it at once (before the
    /// journal brings the store's quarantine round), so no ADD on this agent picks it meanwhile.</summary>
    public void Quarantine(string pool, QuarantineRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            GiveBackPendingLocked(pool, record.Address);
            _quarantine = [.. _quarantine.Where(q => q.Address != record.Address), record];
            SetReservedLocked(_reserved);
        }
    }

    /// <summary>Takes a free address of <paramref name="pool"/>, or null when the pool is full (or gone).</summary>
    public IpAddress? TryTake(string pool)
    {
        lock (_lock)
        {
            ReleaseEndedHoldsLocked();
            if (!_allocators.TryGetValue(pool, out PoolAllocator? allocator) || !allocator.TryTake(out IpAddress address))
            {
                return null;
            }

            _pending.Add(pool, address);
            return address;
        }
    }

    /// <summary>Takes <paramref name="address"/> of <paramref name="pool"/> if the pool may hand it out and it is free.</summary>
    public bool TryTakeExact(string pool, IpAddress address)
    {
        lock (_lock)
        {
            // An address asked for by name is not kept from its ADD by a contention of ours: that is for our picks.
            if (_contended.TryRemove(pool, address))
            {
                GiveBackPendingLocked(pool, address);
            }

            ReleaseEndedHoldsLocked();
            if (_allocators.TryGetValue(pool, out PoolAllocator? allocator) && allocator.CanHandOut(address) && allocator.MarkUsed(address))
            {
                _pending.Add(pool, address);
                return true;
            }

            return false;
        }
    }

    /// <summary>Whether <paramref name="pool"/> may hand out <paramref name="address"/> at all (in range, not excluded,
    /// the gateway or reserved), used or not.</summary>
    public bool CanHandOut(string pool, IpAddress address)
    {
        lock (_lock)
        {
            return _allocators.TryGetValue(pool, out PoolAllocator? allocator) && allocator.CanHandOut(address);
        }
    }

    /// <summary>Gives back an address this agent took (<see cref="TryTake"/>, <see cref="TryTakeExact"/>) and did not
    /// commit. Once the journal shows the address held (another agent committed it meanwhile), it stays used: the
    /// journal frees it when its holder releases it.</summary>
    public void Release(string pool, IpAddress address)
    {
        lock (_lock)
        {
            GiveBackPendingLocked(pool, address);
        }
    }

    /// <summary>Records an address found held in the store (a commit collision, or a probe answered by the pod that
    /// holds it).</summary>
    /// <remarks>The cursor then jumps to a random place: either means another agent is allocating right there, and
    /// stepping to the next address would race it again for each one it takes before the journal shows them. On one
    /// host with one agent this never happens, so its pools still fill from their start.</remarks>
    public void MarkUsed(string pool, IpAddress address)
    {
        lock (_lock)
        {
            if (_allocators.TryGetValue(pool, out PoolAllocator? allocator))
            {
                _pending.Remove(pool, address);
                allocator.MarkUsed(address);
                Scatter(allocator);
            }
        }
    }

    /// <summary>Gives back an address another prober wanted at the same moment (most often another agent, which may be
    /// about to commit it) and moves the cursor away from it, as <see cref="MarkUsed"/> does. The address stays out of
    /// this agent's picks for a short random while (<see cref="ContendedHolds"/>), then is free again unless the journal
    /// showed it committed meanwhile.</summary>
    public void GiveBack(string pool, IpAddress address)
    {
        lock (_lock)
        {
            if (_allocators.TryGetValue(pool, out PoolAllocator? allocator))
            {
                if (_pending.Contains(pool, address))
                {
                    _contended.Add(pool, address, _clock.GetUtcNow() + ContendedHolds.RandomLength());
                }

                Scatter(allocator);
            }
        }
    }

    /// <summary>How many of this agent's contended picks in <paramref name="pools"/> are held out of its picks now.</summary>
    public int ContendedHeldIn(IEnumerable<PoolSpec> pools)
    {
        lock (_lock)
        {
            ReleaseEndedHoldsLocked();
            return pools.Sum(p => _contended.CountIn(p.Name));
        }
    }

    /// <summary>How many of this agent's contended picks are held out of its picks now.</summary>
    public int ContendedHeld
    {
        get
        {
            lock (_lock)
            {
                return _contended.Count;
            }
        }
    }

    private void ReleaseEndedHoldsLocked()
    {
        foreach ((string pool, IpAddress address) in _contended.TakeEnded(_clock.GetUtcNow()))
        {
            GiveBackPendingLocked(pool, address);
        }
    }

    /// <summary>Frees a pick of ours in the view, unless the journal showed it held meanwhile (it is then no longer
    /// pending, and stays used until its holder releases it).</summary>
    private void GiveBackPendingLocked(string pool, IpAddress address)
    {
        if (_allocators.TryGetValue(pool, out PoolAllocator? allocator) && _pending.Remove(pool, address))
        {
            allocator.Release(address);
        }
    }

    public bool IsUsed(string pool, IpAddress address)
    {
        lock (_lock)
        {
            return _allocators.TryGetValue(pool, out PoolAllocator? allocator) && allocator.IsUsed(address);
        }
    }

    /// <summary>Addresses of a pool the store holds as of <see cref="Revision"/> (this agent's picks in flight are not
    /// counted), and its capacity; null when the pool is unknown.</summary>
    public (long Used, UInt128 Capacity)? Usage(string pool)
    {
        lock (_lock)
        {
            return _allocators.TryGetValue(pool, out PoolAllocator? allocator)
                ? (allocator.UsedCount - _pending.Count(pool), allocator.Capacity)
                : null;
        }
    }

    /// <summary>Where a pool's addresses are (allocated, reserved, quarantined, excluded), or null when unknown.</summary>
    public PoolOccupancy? Occupancy(string pool)
    {
        lock (_lock)
        {
            return _allocators.TryGetValue(pool, out PoolAllocator? allocator)
                ? PoolOccupancy.Of(allocator, _reserved, _quarantine)
                : null;
        }
    }

    public void Dispose() => _syncLock.Dispose();

    private async Task PrimeAsync(CancellationToken cancellationToken)
    {
        // Revision first, then the listings, then the changes after it: replaying a change the listing already
        // reflects is harmless, so the result converges even while other agents write.
        long revision = await _store.CurrentRevisionAsync(cancellationToken).ConfigureAwait(false);
        PoolsSnapshot pools = await _store.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<IpAddress> reserved = await _store.ListReservedAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<QuarantineRecord> quarantine = await _store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AllocationRecord> allocations =
            await _store.ListAllocationsAsync(AllocationFilter.All, cancellationToken).ConfigureAwait(false);

        IReadOnlyDictionary<string, IReadOnlyList<string>> problems = _review.Review(pools.Pools);
        var allocators = new Dictionary<string, PoolAllocator>(StringComparer.Ordinal);
        foreach (PoolSpec pool in pools.Pools)
        {
            var allocator = new PoolAllocator(pool);
            allocator.StartAt(_cursorSeed);
            allocators[pool.Name] = allocator;
        }

        foreach (AllocationRecord allocation in allocations)
        {
            if (allocators.TryGetValue(allocation.Pool, out PoolAllocator? allocator))
            {
                allocator.MarkUsed(allocation.Address);
            }
        }

        lock (_lock)
        {
            // A rebuild follows any pool change; the pools that did not change keep their cursors (and cool-downs).
            foreach ((string name, PoolAllocator allocator) in allocators)
            {
                if (_allocators.TryGetValue(name, out PoolAllocator? previous))
                {
                    allocator.ContinueFrom(previous);
                }
            }

            _pending.CarryInto(allocators);
            _allocators = allocators;
            _problems = problems;
            _quarantine = quarantine;
            SetReservedLocked(reserved);
        }

        Interlocked.Exchange(ref _revision, revision);
    }

    // Random, not the node's seed: agents that met once would otherwise meet again at the same place.
    private static void Scatter(PoolAllocator allocator) => allocator.StartAt((ulong)Random.Shared.NextInt64(long.MaxValue));

    private bool Apply(StoreChange change)
    {
        switch (change.Kind)
        {
            case StoreChangeKind.AllocationAdded when change.Pool is not null && change.Address is { } added:
                if (_allocators.TryGetValue(change.Pool, out PoolAllocator? a))
                {
                    _pending.Remove(change.Pool, added);
                    a.MarkUsed(added);
                }

                return false;
            case StoreChangeKind.AllocationRemoved when change.Pool is not null && change.Address is { } removed:
                // A pick of this agent still in flight stays used: its ADD gives it back or commits it.
                if (_allocators.TryGetValue(change.Pool, out PoolAllocator? r) && !_pending.Contains(change.Pool, removed))
                {
                    r.Release(removed);
                }

                return false;
            case StoreChangeKind.ReservedChanged:
                return true;
            default:
                return false;
        }
    }

    private void SetReservedLocked(IReadOnlyList<IpAddress> reserved)
    {
        _reserved = reserved;
        IReadOnlyCollection<IpAddress> blocked = _quarantine.Count == 0
            ? reserved as IReadOnlyCollection<IpAddress> ?? reserved.ToList()
            : reserved.Concat(_quarantine.Select(q => q.Address)).ToHashSet();
        foreach (PoolAllocator allocator in _allocators.Values)
        {
            allocator.SetReserved(blocked);
        }
    }
}
