namespace Underpool.Core.Net;

/// <summary>An inclusive range of addresses of one family: "a-b", or a single address.</summary>
public readonly record struct IpRange
{
    private IpRange(IpAddress start, IpAddress end)
    {
        Start = start;
        End = end;
    }

    public IpAddress Start { get; }

    public IpAddress End { get; }

    public IpFamily Family => Start.Family;

    /// <summary>Number of addresses, saturating at <see cref="UInt128.MaxValue"/> for the whole IPv6 space.</summary>
    public UInt128 Count => End.Value - Start.Value == UInt128.MaxValue ? UInt128.MaxValue : End.Value - Start.Value + 1;

    public static bool TryCreate(IpAddress start, IpAddress end, out IpRange range, out string? error)
    {
        range = default;
        if (start.Family != end.Family)
        {
            error = $"range {start}-{end} mixes IPv4 and IPv6";
            return false;
        }

        if (end < start)
        {
            error = $"range {start}-{end} ends before it starts";
            return false;
        }

        range = new IpRange(start, end);
        error = null;
        return true;
    }

    public static IpRange OfAddress(IpAddress address) => new(address, address);

    public static IpRange Of(IpCidr cidr) => new(cidr.Network, cidr.Last);

    /// <summary>Parses "10.0.0.10-10.0.0.20" or a single "10.0.0.7".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpRange range, out string? error)
    {
        text = text.Trim();
        range = default;
        int dash = text.IndexOf('-');
        ReadOnlySpan<char> first = dash < 0 ? text : text[..dash];
        if (!IpAddress.TryParse(first, out IpAddress start))
        {
            error = $"'{text}' is not a range: '{first}' is not an address (expected a-b or a single address)";
            return false;
        }

        if (dash < 0)
        {
            range = OfAddress(start);
            error = null;
            return true;
        }

        ReadOnlySpan<char> second = text[(dash + 1)..];
        if (!IpAddress.TryParse(second, out IpAddress end))
        {
            error = $"'{text}' is not a range: '{second}' is not an address (expected a-b or a single address)";
            return false;
        }

        return TryCreate(start, end, out range, out error);
    }

    public static IpRange Parse(string text) =>
        TryParse(text, out IpRange r, out string? error) ? r : throw new FormatException(error);

    public bool Contains(IpAddress address) => address.Family == Family && address >= Start && address <= End;

    public bool Overlaps(IpRange other) => other.Family == Family && other.Start <= End && Start <= other.End;

    public override string ToString() => Start == End ? Start.ToString() : $"{Start}-{End}";
}
