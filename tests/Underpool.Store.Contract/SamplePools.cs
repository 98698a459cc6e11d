using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Store.Contract;

/// <summary>Pool specs the store tests create: one of each family with every field set, and a bare one.</summary>
public static class SamplePools
{
    public static PoolSpec V4(string name = "rack1-v4") => new()
    {
        Name = name,
        Subnet = IpCidr.Parse("172.20.1.0/24"),
        Ranges = [IpRange.Parse("172.20.1.10-172.20.1.99"), IpRange.Parse("172.20.1.200")],
        Exclude = [IpAddress.Parse("172.20.1.50"), IpAddress.Parse("172.20.1.51")],
        Gateway = IpAddress.Parse("172.20.1.1"),
        Routes =
        [
            new PoolRoute(IpCidr.Parse("10.0.0.0/8"), IpAddress.Parse("172.20.1.254")),
            new PoolRoute(IpCidr.Parse("0.0.0.0/0"), null),
        ],
        Vlan = 120,
        Affinity = new NodeAffinity(["node1", "node2"], "rack in (r1,r2),zone=a"),
        IsDefault = true,
        Disabled = true,
        Probe = false,
        CheckGateway = GatewayCheck.On,
    };

    public static PoolSpec V6(string name = "rack1-v6") => new()
    {
        Name = name,
        Subnet = IpCidr.Parse("fd00:20:1::/64"),
        Ranges = [IpRange.Parse("fd00:20:1::10-fd00:20:1::ffff:ffff:ffff")],
        Exclude = [IpAddress.Parse("fd00:20:1::abcd")],
        Gateway = IpAddress.Parse("fd00:20:1::1"),
        Routes = [new PoolRoute(IpCidr.Parse("::/0"), null), new PoolRoute(IpCidr.Parse("fd99::/16"), IpAddress.Parse("fd00:20:1::fe"))],
        Vlan = 4094,
        Affinity = new NodeAffinity([], "rack=r1"),
        IsDefault = false,
        Disabled = false,
        Probe = true,
        CheckGateway = GatewayCheck.Warn,
    };

    /// <summary>Only the required fields.</summary>
    public static PoolSpec Minimal(string name, string subnet) => new() { Name = name, Subnet = IpCidr.Parse(subnet) };
}
