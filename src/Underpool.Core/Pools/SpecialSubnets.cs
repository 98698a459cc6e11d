using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary>Address blocks a pool's subnet must not touch: addresses that never reach the underlay as a host's own
/// unicast address, or (IPv4-mapped IPv6) that reach it as another family's.</summary>
internal static class SpecialSubnets
{
    private static readonly (IpCidr Block, string Why)[] Blocks =
    [
        (IpCidr.Parse("0.0.0.0/8"), "'this network' (RFC 1122), which holds the unspecified address 0.0.0.0: no host may use it"),
        (IpCidr.Parse("127.0.0.0/8"), "loopback: packets to it never leave the host"),
        (IpCidr.Parse("169.254.0.0/16"), "link-local: the kernel assigns those addresses itself and routers never forward them"),
        (IpCidr.Parse("224.0.0.0/4"), "multicast: a pod's own address must be unicast"),
        (IpCidr.Parse("255.255.255.255/32"), "the limited broadcast address: every host on the link receives it"),
        (IpCidr.Parse("::/128"), "the unspecified address: it means 'no address'"),
        (IpCidr.Parse("::1/128"), "loopback: packets to it never leave the host"),
        (IpCidr.Parse("::ffff:0:0/96"), "IPv4-mapped IPv6 (RFC 4291): on the wire these are IPv4 addresses, which an IPv4 pool may "
                                         + "hand out too; make an IPv4 pool for them"),
        (IpCidr.Parse("fe80::/10"), "link-local: the kernel assigns those addresses itself and routers never forward them"),
        (IpCidr.Parse("ff00::/8"), "multicast: a pod's own address must be unicast"),
    ];

    /// <summary>One sentence per special block <paramref name="subnet"/> touches ("subnet 127.0.0.0/24 is inside
    /// 127.0.0.0/8, loopback: ..."); a /0 is one sentence of its own (it touches them all).</summary>
    public static IEnumerable<string> Problems(IpCidr subnet)
    {
        if (subnet.PrefixLength == 0)
        {
            yield return $"subnet {subnet} is every {subnet.Family.ToDisplay()} address; a pool needs its underlay's own subnet, "
                         + $"such as {(subnet.Family == IpFamily.V4 ? "10.20.0.0/24" : "2001:db8:20::/64")}";
            yield break;
        }

        foreach ((IpCidr block, string why) in Blocks)
        {
            if (block.Overlaps(subnet))
            {
                string relation = block.Contains(subnet.Network) && block.PrefixLength <= subnet.PrefixLength ? "is inside" : "overlaps";
                yield return $"subnet {subnet} {relation} {block}, {why}";
            }
        }
    }
}
