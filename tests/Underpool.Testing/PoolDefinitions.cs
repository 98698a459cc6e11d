using Underpool.Api.Contracts;

namespace Underpool.Testing;

/// <summary>Pool definitions the agent and plugin tests share: IPv4 with a default route through the pool's
/// gateway and one route through a gateway of its own, and an IPv6 /64.</summary>
public static class PoolDefinitions
{
    public static PoolDefinition V4(string name = "v4", string subnet = "172.20.1.0/24", string[]? ranges = null, string? gateway = "172.20.1.1", bool isDefault = false) => new()
    {
        Name = name,
        Default = isDefault,
        Subnet = subnet,
        Ranges = ranges ?? [],
        Gateway = gateway,
        // The second route's gateway is .254 of whatever /24 the test picked, so it is always on the subnet.
        Routes = [new AssignedRoute { Dst = "0.0.0.0/0" }, new AssignedRoute { Dst = "10.99.0.0/16", Gw = subnet[..subnet.LastIndexOf('.')] + ".254" }],
    };

    public static PoolDefinition V6(string name = "v6", string subnet = "fd00:20:1::/64", string[]? ranges = null, string? gateway = "fd00:20:1::1", bool isDefault = false) => new()
    {
        Name = name,
        Default = isDefault,
        Subnet = subnet,
        Ranges = ranges ?? [],
        Gateway = gateway,
    };
}
