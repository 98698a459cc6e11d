using Underpool.Api.Contracts;

namespace Underpool.Plugin.Tests;

/// <summary>Pool definitions the tests share.</summary>
internal static class Pools
{
    public static PoolDefinition V4(string name = "v4", string subnet = "172.20.1.0/24", string[]? ranges = null, string? gateway = "172.20.1.1") => new()
    {
        Name = name,
        Subnet = subnet,
        Ranges = ranges ?? [],
        Gateway = gateway,
        Routes = [new AssignedRoute { Dst = "0.0.0.0/0" }, new AssignedRoute { Dst = "10.99.0.0/16", Gw = "172.20.1.254" }],
    };

    public static PoolDefinition V6(string name = "v6", string subnet = "fd00:20:1::/64", string[]? ranges = null, string? gateway = "fd00:20:1::1") => new()
    {
        Name = name,
        Subnet = subnet,
        Ranges = ranges ?? [],
        Gateway = gateway,
    };
}
