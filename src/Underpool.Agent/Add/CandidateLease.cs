using Underpool.Agent.Pools;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Add;

/// <summary>The candidates one ADD attempt took from the in-memory view (<see cref="PoolRegistry"/>), one slot per
/// family: the one owner of them. Whatever is not committed goes back to the view when the lease is disposed, so no
/// stage that refuses, fails or throws has to remember to give anything back.</summary>
/// <remarks>A candidate set aside for a reason the view must know (another agent holds it, it is quarantined, another
/// prober wanted it) leaves its slot through the method that says so; the slot stays empty until a replacement is
/// taken into it. Used by one ADD at a time, never shared.</remarks>
internal sealed class CandidateLease : IDisposable
{
    private readonly PoolRegistry _registry;
    private readonly Candidate?[] _slots;

    public CandidateLease(PoolRegistry registry, int families)
    {
        _registry = registry;
        _slots = new Candidate?[families];
    }

    /// <summary>How many slots (families) the lease has.</summary>
    public int Count => _slots.Length;

    /// <summary>The candidate in <paramref name="slot"/> (the slot must hold one).</summary>
    public Candidate this[int slot] => _slots[slot] ?? throw new InvalidOperationException($"slot {slot} holds no candidate");

    /// <summary>The candidates held now, in slot order.</summary>
    public IReadOnlyList<Candidate> Held => _slots.OfType<Candidate>().ToList();

    /// <summary>Takes the next free address of the first of <paramref name="pools"/> that has one into <paramref name="slot"/>.</summary>
    public bool TryTakeFree(int slot, IEnumerable<PoolSpec> pools)
    {
        foreach (PoolSpec pool in pools)
        {
            if (_registry.TryTake(pool.Name) is { } address)
            {
                Fill(slot, new Candidate(pool, address));
                return true;
            }
        }

        return false;
    }

    /// <summary>Takes exactly <paramref name="address"/> of <paramref name="pool"/> into <paramref name="slot"/>, when free.</summary>
    public bool TryTakeExact(int slot, PoolSpec pool, IpAddress address)
    {
        if (!_registry.TryTakeExact(pool.Name, address))
        {
            return false;
        }

        Fill(slot, new Candidate(pool, address));
        return true;
    }

    /// <summary>Gives the candidate of <paramref name="slot"/> back as free (held by our own node or pod, not by the store).</summary>
    public void Release(int slot)
    {
        Candidate c = Vacate(slot);
        _registry.Release(c.Pool.Name, c.Address);
    }

    /// <summary>Gives the candidate back and moves the pool's cursor away: another prober wanted it at the same moment.</summary>
    public void GiveBackContended(int slot)
    {
        Candidate c = Vacate(slot);
        _registry.GiveBack(c.Pool.Name, c.Address);
    }

    /// <summary>Keeps the candidate marked used: the store shows it held by another endpoint (a stale pick).</summary>
    public void HeldElsewhere(int slot)
    {
        Candidate c = Vacate(slot);
        _registry.MarkUsed(c.Pool.Name, c.Address);
    }

    /// <summary>Blocks the candidate at once as quarantined (a foreign host answers for it).</summary>
    public void Quarantine(int slot, QuarantineRecord record)
    {
        Candidate c = Vacate(slot);
        _registry.Quarantine(c.Pool.Name, record);
    }

    /// <summary>A commit lost to other agents: the addresses they hold stay used in the view (with the cursor moved away),
    /// the others go back now, before the view catches up.</summary>
    public void Collided(IReadOnlySet<(string Pool, IpAddress Address)> taken)
    {
        for (int slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] is { } c && taken.Contains((c.Pool.Name, c.Address)))
            {
                HeldElsewhere(slot);
            }
        }

        GiveBackAll();
    }

    /// <summary>The candidates are in the store now: nothing is given back.</summary>
    public void Committed() => Array.Clear(_slots);

    /// <summary>Gives back every candidate still held, now (the view must know before it catches up).</summary>
    public void GiveBackAll()
    {
        for (int slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] is { } c)
            {
                _slots[slot] = null;
                _registry.Release(c.Pool.Name, c.Address);
            }
        }
    }

    public void Dispose() => GiveBackAll();

    private void Fill(int slot, Candidate candidate)
    {
        if (_slots[slot] is not null)
        {
            throw new InvalidOperationException($"slot {slot} already holds {_slots[slot]!.Value.Address}");
        }

        _slots[slot] = candidate;
    }

    private Candidate Vacate(int slot)
    {
        Candidate c = this[slot];
        _slots[slot] = null;
        return c;
    }
}
