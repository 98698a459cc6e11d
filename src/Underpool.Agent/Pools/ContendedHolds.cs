using Underpool.Core.Net;

namespace Underpool.Agent.Pools;

/// <summary>Addresses this agent gave back because another prober wanted them at the same moment, kept out of its own
/// picks for a short while of random length.</summary>
/// <remarks>Without the hold, two agents probing the same address both gave it back and, finding it free in their
/// views, both picked it again at once: with a small pool first in the list and a burst of ADDs on four nodes, they
/// kept meeting on the same few addresses until an ADD gave up with CNI 11 after 33 candidates while the fallback
/// pool had hundreds free. The random length breaks the tie: whichever agent comes back first probes alone, and the
/// other one finds the address committed. Not thread-safe: <see cref="PoolRegistry"/> locks around it.</remarks>
internal sealed class ContendedHolds
{
    /// <summary>The shortest hold: several probe rounds (~30 ms each), so the agents' retries do not meet again.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest hold: short enough that a small pool's addresses are not idle for long.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(1000);

    private readonly List<(string Pool, IpAddress Address, DateTimeOffset Until)> _held = [];

    public int Count => _held.Count;

    public int CountIn(string pool) => _held.Count(h => string.Equals(h.Pool, pool, StringComparison.Ordinal));

    /// <summary>Holds <paramref name="address"/> of <paramref name="pool"/> until <paramref name="until"/> (a second
    /// contention on an address already held moves its end).</summary>
    public void Add(string pool, IpAddress address, DateTimeOffset until)
    {
        TryRemove(pool, address);
        _held.Add((pool, address, until));
    }

    /// <summary>A hold's length, drawn at random between <see cref="Shortest"/> and <see cref="Longest"/>.</summary>
    public static TimeSpan RandomLength() =>
        Shortest + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * (Longest - Shortest).TotalMilliseconds);

    /// <summary>Ends the hold of <paramref name="address"/>, if it has one.</summary>
    public bool TryRemove(string pool, IpAddress address) =>
        _held.RemoveAll(h => h.Address == address && string.Equals(h.Pool, pool, StringComparison.Ordinal)) > 0;

    /// <summary>Removes the holds that ended by <paramref name="now"/> and returns them.</summary>
    public List<(string Pool, IpAddress Address)> TakeEnded(DateTimeOffset now)
    {
        var ended = new List<(string Pool, IpAddress Address)>();
        if (_held.Count == 0)
        {
            return ended;
        }

        foreach ((string pool, IpAddress address, DateTimeOffset until) in _held)
        {
            if (until <= now)
            {
                ended.Add((pool, address));
            }
        }

        _held.RemoveAll(h => h.Until <= now);
        return ended;
    }
}
