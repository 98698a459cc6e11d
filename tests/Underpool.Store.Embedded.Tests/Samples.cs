using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Store.Embedded.Tests;

/// <summary>Pools and allocation records used across the tests.</summary>
internal static class Samples
{
    /// <summary>Sub-millisecond ticks and a non-UTC offset: the stored instant must come back exact.</summary>
    public static readonly DateTimeOffset Created = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_567);

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
    };

    /// <summary>Only the required fields.</summary>
    public static PoolSpec Minimal(string name, string subnet) => new() { Name = name, Subnet = IpCidr.Parse(subnet) };

    public static AttachmentKey Attachment(string container = "c1", string ifname = "eth0", string network = "underlay") =>
        new(network, container, ifname);

    public static AllocationRecord Record(
        string pool, string address, AttachmentKey? attachment = null, string node = "node1", long generation = 1) => new()
    {
        Pool = pool,
        PoolGeneration = generation,
        Address = IpAddress.Parse(address),
        Attachment = attachment ?? Attachment(),
        Node = node,
        NetNs = "/var/run/netns/c1",
        PodNamespace = "shop",
        PodName = "web-0",
        PodUid = "0f8b6a8e-1d2c-4e5f-9a0b-1c2d3e4f5a6b",
        CreatedAt = Created,
    };

    /// <summary>PoolSpec is a record, but its lists compare by reference: compare field by field.</summary>
    public static void AssertSamePool(PoolSpec expected, PoolSpec? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Subnet, actual.Subnet);
        Assert.Equal(expected.Ranges, actual.Ranges);
        Assert.Equal(expected.Exclude, actual.Exclude);
        Assert.Equal(expected.Gateway, actual.Gateway);
        Assert.Equal(expected.Routes, actual.Routes);
        Assert.Equal(expected.Vlan, actual.Vlan);
        Assert.Equal(expected.Affinity.NodeNames, actual.Affinity.NodeNames);
        Assert.Equal(expected.Affinity.NodeSelector, actual.Affinity.NodeSelector);
        Assert.Equal(expected.IsDefault, actual.IsDefault);
        Assert.Equal(expected.Disabled, actual.Disabled);
    }
}
