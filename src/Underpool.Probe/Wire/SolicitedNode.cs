using Underpool.Core.Net;

namespace Underpool.Probe.Wire;

/// <summary>The solicited-node multicast group of an IPv6 address (RFC 4291 2.7.1) and its Ethernet group MAC
/// (RFC 2464 7): where a neighbor solicitation for the address is sent, so only its owner has to look at it.</summary>
public static class SolicitedNode
{
    private static readonly UInt128 Prefix = IpAddress.Parse("ff02::1:ff00:0").Value;

    /// <summary>ff02::1:ffXX:XXXX with the low 24 bits of <paramref name="address"/>.</summary>
    public static IpAddress Group(IpAddress address)
    {
        if (address.Family != IpFamily.V6)
        {
            throw new ArgumentException($"{address} is not an IPv6 address", nameof(address));
        }

        return IpAddress.V6(Prefix | (address.Value & 0xFF_FFFF));
    }

    /// <summary>33:33 followed by the low 32 bits of the IPv6 multicast <paramref name="group"/>.</summary>
    public static MacAddress MulticastMac(IpAddress group) => new(0x3333_0000_0000UL | (ulong)(uint)group.Value);
}
