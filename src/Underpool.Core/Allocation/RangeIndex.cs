using Underpool.Core.Net;

namespace Underpool.Core.Allocation;

/// <summary>Numbers the addresses of a pool's sorted, disjoint ranges 0..Count-1 as if the ranges were laid end to end.</summary>
/// <remarks>The used set then works on dense indices whatever the gaps between ranges. Lookups are a binary
/// search over the few ranges (prefix sums in <see cref="UInt128"/>), so a /64 costs what a /24 costs.</remarks>
internal sealed class RangeIndex
{
    private readonly UInt128[] _starts;
    private readonly UInt128[] _ends;

    // _offsets[i] is the index of _starts[i]: the sum of the sizes of the ranges before it.
    private readonly UInt128[] _offsets;

    public RangeIndex(IReadOnlyList<IpRange> ranges, IpFamily family)
    {
        Family = family;
        _starts = new UInt128[ranges.Count];
        _ends = new UInt128[ranges.Count];
        _offsets = new UInt128[ranges.Count];
        UInt128 total = 0;
        for (int i = 0; i < ranges.Count; i++)
        {
            _starts[i] = ranges[i].Start.Value;
            _ends[i] = ranges[i].End.Value;
            _offsets[i] = total;

            // Saturates only for a range spanning all of IPv6 (2^128 addresses), whose very last address then
            // falls outside the index: a loss nobody can notice.
            UInt128 size = ranges[i].Count;
            total = UInt128.MaxValue - total < size ? UInt128.MaxValue : total + size;
        }

        Count = total;
    }

    public IpFamily Family { get; }

    /// <summary>How many addresses the ranges hold.</summary>
    public UInt128 Count { get; }

    public bool TryGetIndex(IpAddress address, out UInt128 index)
    {
        UInt128 value = address.Value;
        int i = _starts.Length - 1;
        if (i > 0)
        {
            // The last range starting at or before the address.
            int lo = 0;
            int hi = i;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) >>> 1;
                if (_starts[mid] <= value)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            i = lo;
        }

        if (i < 0 || address.Family != Family || value < _starts[i] || value > _ends[i])
        {
            index = 0;
            return false;
        }

        index = _offsets[i] + (value - _starts[i]);
        return index < Count;
    }

    public IpAddress AddressAt(UInt128 index)
    {
        int lo = 0;
        int hi = _offsets.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >>> 1;
            if (_offsets[mid] <= index)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return IpAddress.FromValue(_starts[lo] + (index - _offsets[lo]), Family);
    }
}
