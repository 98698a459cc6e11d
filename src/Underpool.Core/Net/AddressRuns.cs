namespace Underpool.Core.Net;

/// <summary>Small explicit address sets (an application pool's carved addresses) as ranges and back.</summary>
public static class AddressRuns
{
    /// <summary>The addresses as the fewest ranges: sorted, each run of consecutive addresses one range.</summary>
    public static List<IpRange> Of(IEnumerable<IpAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var ranges = new List<IpRange>();
        IpAddress? start = null;
        IpAddress previous = default;
        foreach (IpAddress address in addresses.Distinct().Order())
        {
            if (start is not null && address.Family == previous.Family && address.Value == previous.Value + 1)
            {
                previous = address;
                continue;
            }

            if (start is { } done)
            {
                ranges.Add(Range(done, previous));
            }

            start = address;
            previous = address;
        }

        if (start is { } last)
        {
            ranges.Add(Range(last, previous));
        }

        return ranges;
    }

    /// <summary>Every address of <paramref name="ranges"/>, in order; for small sets only (it enumerates them).</summary>
    public static List<IpAddress> Addresses(IEnumerable<IpRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var addresses = new List<IpAddress>();
        foreach (IpRange range in ranges)
        {
            for (UInt128 value = range.Start.Value; value <= range.End.Value; value++)
            {
                addresses.Add(IpAddress.FromValue(value, range.Family));
                if (value == UInt128.MaxValue)
                {
                    break;
                }
            }
        }

        return addresses;
    }

    private static IpRange Range(IpAddress start, IpAddress end) =>
        IpRange.TryCreate(start, end, out IpRange range, out string? error) ? range : throw new InvalidOperationException(error);
}
