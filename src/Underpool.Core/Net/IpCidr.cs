using System.Globalization;

namespace Underpool.Core.Net;

/// <summary>A subnet: a network address with no host bits set plus a prefix length.</summary>
public readonly record struct IpCidr
{
    private IpCidr(IpAddress network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
    }

    public IpAddress Network { get; }

    public int PrefixLength { get; }

    public IpFamily Family => Network.Family;

    /// <summary>The last address of the subnet (the IPv4 broadcast address).</summary>
    public IpAddress Last => IpAddress.FromValue(Network.Value | HostMask(Family, PrefixLength), Family);

    /// <summary>How many addresses the subnet spans, saturating at <see cref="UInt128.MaxValue"/> for ::/0.</summary>
    public UInt128 Size => HostMask(Family, PrefixLength) == UInt128.MaxValue ? UInt128.MaxValue : HostMask(Family, PrefixLength) + 1;

    /// <summary>Builds a subnet, refusing host bits so "10.0.0.5/24" never silently means 10.0.0.0/24.</summary>
    public static bool TryCreate(IpAddress network, int prefixLength, out IpCidr cidr, out string? error)
    {
        cidr = default;
        int bits = network.Family.BitLength();
        if (prefixLength < 0 || prefixLength > bits)
        {
            error = $"prefix length /{prefixLength} is out of range for {network.Family.ToDisplay()} (0-{bits})";
            return false;
        }

        UInt128 hostMask = HostMask(network.Family, prefixLength);
        if ((network.Value & hostMask) != 0)
        {
            var masked = IpAddress.FromValue(network.Value & ~hostMask, network.Family);
            error = $"{network}/{prefixLength} has host bits set; did you mean {masked}/{prefixLength}?";
            return false;
        }

        cidr = new IpCidr(network, prefixLength);
        error = null;
        return true;
    }

    /// <summary>Parses "10.0.0.0/24" or "fd00::/64" with a message a person can act on when it fails.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpCidr cidr, out string? error)
    {
        text = text.Trim();
        cidr = default;
        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            error = $"'{text}' is not a CIDR: expected ADDRESS/PREFIX such as 10.0.0.0/24 or fd00::/64";
            return false;
        }

        if (!IpAddress.TryParse(text[..slash], out IpAddress network))
        {
            error = $"'{text}' is not a CIDR: '{text[..slash]}' is not an IPv4 or IPv6 address";
            return false;
        }

        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix))
        {
            error = $"'{text}' is not a CIDR: the prefix length '{text[(slash + 1)..]}' is not a number";
            return false;
        }

        return TryCreate(network, prefix, out cidr, out error);
    }

    /// <summary>Parses or throws <see cref="FormatException"/>: for trusted input (tests, stored data).</summary>
    public static IpCidr Parse(string text) =>
        TryParse(text, out IpCidr c, out string? error) ? c : throw new FormatException(error);

    public bool Contains(IpAddress address) =>
        address.Family == Family && (address.Value & ~HostMask(Family, PrefixLength)) == Network.Value;

    public bool Overlaps(IpCidr other) =>
        other.Family == Family && (Contains(other.Network) || other.Contains(Network));

    /// <summary>"address/prefix" as a CNI result writes an interface address.</summary>
    public string FormatInterfaceAddress(IpAddress address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address}/{PrefixLength}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Network}/{PrefixLength}");

    private static UInt128 HostMask(IpFamily family, int prefixLength)
    {
        int hostBits = family.BitLength() - prefixLength;
        return hostBits == 0 ? UInt128.Zero : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }
}
