using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Core.Tests.Allocation;

/// <summary>The obvious, slow meaning of a pool allocator, written independently of it: sets of addresses and,
/// for small pools, the full list of addresses in order.</summary>
internal sealed class AllocatorModel
{
    private readonly PoolSpec _pool;
    private readonly HashSet<IpAddress> _held = [];
    private readonly HashSet<IpAddress> _excluded;
    private HashSet<IpAddress> _reserved = [];
    private int _cursor;

    public AllocatorModel(PoolSpec pool, int smallPool)
    {
        _pool = pool;
        _excluded = [.. pool.Exclude];
        Ordered = Enumerate(smallPool);
        Probes = BuildProbes();
    }

    /// <summary>Every address in the effective ranges, in order, when there are at most smallPool of them.</summary>
    public List<IpAddress>? Ordered { get; }

    /// <summary>Addresses worth poking at: range edges and their neighbours, subnet edges, excludes, the gateway.</summary>
    public IpAddress[] Probes { get; }

    public List<IpAddress> Held { get; } = [];

    public bool IsHeld(IpAddress address) => _held.Contains(address);

    public bool InRanges(IpAddress address)
    {
        if (address.Family != _pool.Family || !_pool.Subnet.Contains(address))
        {
            return false;
        }

        if (_pool.Ranges.Count > 0)
        {
            return _pool.Ranges.Any(r => r.Contains(address));
        }

        IpCidr subnet = _pool.Subnet;
        bool tiny = subnet.Family.BitLength() - subnet.PrefixLength <= 1;
        return tiny || (address != subnet.Network && (subnet.Family == IpFamily.V6 || address != subnet.Last));
    }

    public bool IsFixedHandoutable(IpAddress address) =>
        InRanges(address) && !_excluded.Contains(address) && address != _pool.Gateway;

    public bool IsHandoutable(IpAddress address) => IsFixedHandoutable(address) && !_reserved.Contains(address);

    public void CheckTake(bool took, IpAddress address)
    {
        if (!took)
        {
            if (Ordered is null)
            {
                throw new InvalidOperationException("TryTake failed on a large pool that cannot be full");
            }

            foreach (IpAddress a in Ordered)
            {
                if (IsHandoutable(a) && !_held.Contains(a))
                {
                    throw new InvalidOperationException($"TryTake failed although {a} is free");
                }
            }

            return;
        }

        if (_held.Contains(address))
        {
            throw new InvalidOperationException($"TryTake handed out {address}, which is held");
        }

        if (!IsHandoutable(address))
        {
            throw new InvalidOperationException($"TryTake handed out {address}, which is outside the ranges, excluded, the gateway or reserved");
        }

        if (Ordered is not null)
        {
            // Next-fit: the first free address at or after the cursor, wrapping round.
            int n = Ordered.Count;
            int expected = Enumerable.Range(0, n).Select(i => (_cursor + i) % n)
                .First(i => IsHandoutable(Ordered[i]) && !_held.Contains(Ordered[i]));
            if (Ordered[expected] != address)
            {
                throw new InvalidOperationException($"TryTake handed out {address}, next-fit expected {Ordered[expected]}");
            }

            _cursor = (expected + 1) % n;
        }

        _held.Add(address);
        Held.Add(address);
    }

    public bool Release(IpAddress address)
    {
        if (!_held.Remove(address))
        {
            return false;
        }

        Held.Remove(address);
        return true;
    }

    public bool MarkUsed(IpAddress address)
    {
        if (!InRanges(address) || !_held.Add(address))
        {
            return false;
        }

        Held.Add(address);
        return true;
    }

    public void SetReserved(IEnumerable<IpAddress> reserved) => _reserved = [.. reserved];

    private List<IpAddress>? Enumerate(int limit)
    {
        IpCidr subnet = _pool.Subnet;
        IEnumerable<(UInt128 Start, UInt128 End)> spans = _pool.Ranges.Count > 0
            ? _pool.Ranges.Select(r => (r.Start.Value, r.End.Value))
            : [(subnet.Network.Value, subnet.Last.Value)];
        var all = new SortedSet<IpAddress>();
        foreach ((UInt128 start, UInt128 end) in spans)
        {
            if (end - start >= (UInt128)(limit * 2))
            {
                return null;
            }

            for (UInt128 v = start; v <= end; v++)
            {
                var address = IpAddress.FromValue(v, _pool.Family);
                if (InRanges(address))
                {
                    all.Add(address);
                }
            }
        }

        return all.Count <= limit ? [.. all] : null;
    }

    private IpAddress[] BuildProbes()
    {
        var probes = new HashSet<IpAddress>(_pool.Exclude);
        if (_pool.Gateway is { } gateway)
        {
            probes.Add(gateway);
        }

        IpCidr subnet = _pool.Subnet;
        IEnumerable<(UInt128 Start, UInt128 End)> spans = _pool.Ranges.Count > 0
            ? _pool.Ranges.Select(r => (r.Start.Value, r.End.Value))
            : [(subnet.Network.Value, subnet.Last.Value)];
        UInt128 max = IpAddress.MaxValue(_pool.Family);
        foreach ((UInt128 start, UInt128 end) in spans.Append((subnet.Network.Value, subnet.Last.Value)))
        {
            // The first addresses of a span (where takes land) and both edges with their outside neighbours.
            UInt128 from = start == 0 ? 0 : start - 1;
            UInt128 to = end - start < 70 ? end : start + 70;
            for (UInt128 v = from; v <= to; v++)
            {
                probes.Add(IpAddress.FromValue(v, _pool.Family));
            }

            probes.Add(IpAddress.FromValue(end, _pool.Family));
            if (end > 0)
            {
                probes.Add(IpAddress.FromValue(end - 1, _pool.Family));
            }

            if (end < max)
            {
                probes.Add(IpAddress.FromValue(end + 1, _pool.Family));
            }
        }

        return [.. probes.Order()];
    }
}
