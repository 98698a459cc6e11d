using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary>Addresses of a subnet that need care: the IPv4 network and broadcast addresses no host may hold, and
/// the IPv6 link-local next hops that are on-link whatever the subnet.</summary>
internal static class SubnetEdges
{
    /// <summary>fe80::/10: IPv6 routers are commonly reached by their link-local address, which the kernel treats as
    /// on-link whatever the interface's global subnet is.</summary>
    public static bool IsIpv6LinkLocal(IpAddress address) =>
        address.Family == IpFamily.V6 && (address.Value >> 118) == 0x3FA;

    /// <summary>"network" or "broadcast" when <paramref name="address"/> is one of the two addresses of an IPv4
    /// <paramref name="subnet"/> that no host may hold; null otherwise.</summary>
    /// <remarks>Agrees with PoolValidator's whole-subnet range: /31 and /32 have neither (RFC 3021), and IPv6's
    /// subnet-router anycast address is left to the user.</remarks>
    public static string? Name(IpCidr subnet, IpAddress address)
    {
        if (subnet.Family != IpFamily.V4 || subnet.PrefixLength >= 31)
        {
            return null;
        }

        return address == subnet.Network ? "network" : address == subnet.Last ? "broadcast" : null;
    }
}
