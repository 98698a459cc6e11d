using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Core.Tests.TestPools;

namespace Underpool.Core.Tests.Pools;

public sealed class PoolValidatorTests
{
    private static string OnlyProblem(PoolSpec pool) => Assert.Single(PoolValidator.Validate(pool));

    [Fact]
    public void Validate_SoundPool_HasNoProblems()
    {
        PoolSpec pool = Pool("rack1.v4", "10.0.0.0/24", ["10.0.0.10-10.0.0.20", "10.0.0.30"], ["10.0.0.15"], "10.0.0.1") with
        {
            Routes = [new PoolRoute(IpCidr.Parse("0.0.0.0/0"), Ip("10.0.0.1"))],
            Vlan = 100,
            Affinity = new NodeAffinity(["node1"], "rack in (r1,r2)"),
        };
        Assert.Empty(PoolValidator.Validate(pool));
    }

    [Theory]
    [InlineData("Rack1")]
    [InlineData("rack_1")]
    [InlineData("-rack")]
    [InlineData("rack.")]
    [InlineData(".rack")]
    [InlineData("a..b")]
    [InlineData("a.-b")]
    [InlineData("a-.b")]
    [InlineData("")]
    public void Validate_BadName_IsRefused(string name) =>
        Assert.Equal(
            $"pool name '{name}' is not valid: use at most 63 characters: lowercase letters, digits and '-' in parts "
            + "separated by single dots, each part starting and ending with a letter or digit",
            OnlyProblem(Pool(name, "10.0.0.0/24")));

    [Theory]
    [InlineData("a")]
    [InlineData("rack-1.v4")]
    [InlineData("0.1-a.b")]
    public void Validate_NameOfDotSeparatedLabels_IsAccepted(string name) =>
        Assert.Empty(PoolValidator.Validate(Pool(name, "10.0.0.0/24")));

    [Fact]
    public void Validate_NameOf64Characters_IsRefused() =>
        Assert.StartsWith("pool name", OnlyProblem(Pool(new string('a', 64), "10.0.0.0/24")), StringComparison.Ordinal);

    [Fact]
    public void Validate_NameOf63Characters_IsAccepted() =>
        Assert.Empty(PoolValidator.Validate(Pool(new string('a', 63), "10.0.0.0/24")));

    [Fact]
    public void Validate_RangeOfOtherFamily_IsRefused() =>
        Assert.Equal(
            "pool 'a': range fd00::1-fd00::5 is IPv6 but the subnet 10.0.0.0/24 is IPv4",
            Assert.Single(PoolValidator.Validate(Pool("a", "10.0.0.0/24", ["fd00::1-fd00::5", "10.0.0.5"]))));

    [Fact]
    public void Validate_RangeOutsideSubnet_IsRefused() =>
        Assert.Equal(
            "pool 'a': range 10.0.0.250-10.0.1.5 is not inside the subnet 10.0.0.0/24",
            Assert.Single(PoolValidator.Validate(Pool("a", "10.0.0.0/24", ["10.0.0.250-10.0.1.5", "10.0.0.5"]))));

    [Fact]
    public void Validate_RangeFromNetworkToBroadcast_IsRefusedSayingWhereToStartAndEnd() =>
        Assert.Equal(
            [
                "pool 'a': range 10.0.0.0-10.0.0.255 includes the network address 10.0.0.0 of 10.0.0.0/24, which no host can use; start the range at 10.0.0.1",
                "pool 'a': range 10.0.0.0-10.0.0.255 includes the broadcast address 10.0.0.255 of 10.0.0.0/24, which no host can use; end the range at 10.0.0.254",
            ],
            PoolValidator.Validate(Pool("a", "10.0.0.0/24", ["10.0.0.0-10.0.0.255"])));

    [Fact]
    public void Validate_SingleAddressRangeOnTheBroadcastAddress_IsRefused() =>
        Assert.Equal(
            "pool 'a': range 10.0.0.3 is the broadcast address of 10.0.0.0/30, which no host can use; remove it",
            OnlyProblem(Pool("a", "10.0.0.0/30", ["10.0.0.1-10.0.0.2", "10.0.0.3"])));

    [Theory]
    [InlineData("10.0.0.0/31", "10.0.0.0-10.0.0.1")]
    [InlineData("10.0.0.0/31", "10.0.0.0")]
    [InlineData("10.0.0.7/32", "10.0.0.7")]
    [InlineData("fd00::/64", "fd00::-fd00::ffff")]
    public void Validate_RangeOverTheWholeOfASubnetWithoutBroadcast_IsAccepted(string subnet, string range) =>
        Assert.Empty(PoolValidator.Validate(Pool("a", subnet, [range])));

    [Fact]
    public void Validate_OverlappingRanges_AreRefused() =>
        Assert.Equal(
            "pool 'a': ranges 10.0.0.1-10.0.0.10 and 10.0.0.10-10.0.0.20 overlap",
            OnlyProblem(Pool("a", "10.0.0.0/24", ["10.0.0.10-10.0.0.20", "10.0.0.1-10.0.0.10"])));

    [Fact]
    public void Validate_RangeInsideAnEarlierLongOne_IsReportedAgainstIt() =>
        Assert.Equal(
            ["pool 'a': ranges 10.0.0.1-10.0.0.100 and 10.0.0.5 overlap", "pool 'a': ranges 10.0.0.1-10.0.0.100 and 10.0.0.50 overlap"],
            PoolValidator.Validate(Pool("a", "10.0.0.0/24", ["10.0.0.1-10.0.0.100", "10.0.0.5", "10.0.0.50"])));

    [Fact]
    public void Validate_AdjacentRanges_AreAccepted() =>
        Assert.Empty(PoolValidator.Validate(Pool("a", "10.0.0.0/24", ["10.0.0.1-10.0.0.10", "10.0.0.11-10.0.0.20"])));

    [Fact]
    public void Validate_ExcludedAddressOutsideSubnet_IsRefused() =>
        Assert.Equal(
            "pool 'a': excluded address 10.0.1.1 is not inside the subnet 10.0.0.0/24",
            OnlyProblem(Pool("a", "10.0.0.0/24", exclude: ["10.0.1.1"])));

    [Fact]
    public void Validate_ExcludedAddressOfOtherFamily_IsRefused() =>
        Assert.Equal(
            "pool 'a': excluded address fd00::1 is IPv6 but the subnet 10.0.0.0/24 is IPv4",
            OnlyProblem(Pool("a", "10.0.0.0/24", exclude: ["fd00::1"])));

    [Fact]
    public void Validate_GatewayOutsideSubnet_IsRefused() =>
        Assert.Equal(
            "pool 'a': gateway 10.0.1.1 is not inside the subnet 10.0.0.0/24",
            OnlyProblem(Pool("a", "10.0.0.0/24", gateway: "10.0.1.1")));

    [Fact]
    public void Validate_GatewayOfOtherFamily_IsRefused() =>
        Assert.Equal(
            "pool 'a': gateway 10.0.0.1 is IPv4 but the subnet fd00::/64 is IPv6",
            OnlyProblem(Pool("a", "fd00::/64", gateway: "10.0.0.1")));

    [Theory]
    [InlineData("10.0.0.0", "network")]
    [InlineData("10.0.0.255", "broadcast")]
    public void Validate_GatewayOnTheNetworkOrBroadcastAddress_IsRefused(string gateway, string edge) =>
        Assert.Equal(
            $"pool 'a': gateway {gateway} is the {edge} address of 10.0.0.0/24, which no host can use",
            OnlyProblem(Pool("a", "10.0.0.0/24", gateway: gateway)));

    [Fact]
    public void Validate_GatewayOnTheFirstAddressOfASlash31_IsAccepted() =>
        Assert.Empty(PoolValidator.Validate(Pool("a", "10.0.0.0/31", gateway: "10.0.0.0")));

    [Fact]
    public void Validate_ExcludedNetworkAndBroadcastAddresses_AreAccepted() =>
        Assert.Empty(PoolValidator.Validate(Pool("a", "10.0.0.0/24", exclude: ["10.0.0.0", "10.0.0.255"])));

    [Fact]
    public void Validate_GatewayInsideARange_IsAccepted() =>
        Assert.Empty(PoolValidator.Validate(Pool("a", "10.0.0.0/24", ["10.0.0.1-10.0.0.10"], gateway: "10.0.0.1")));

    [Fact]
    public void Validate_RouteGatewayOfOtherFamily_IsRefused() =>
        Assert.Equal(
            "pool 'a': route gateway fd00::1 (route to 10.1.0.0/16) is IPv6 but the pool is IPv4",
            OnlyProblem(Pool("a", "10.0.0.0/24") with { Routes = [new PoolRoute(IpCidr.Parse("10.1.0.0/16"), Ip("fd00::1"))] }));

    [Fact]
    public void Validate_RouteGatewayOutsideSubnet_IsRefused() =>
        Assert.Equal(
            "pool 'a': route gateway 8.8.8.8 (route to 0.0.0.0/0) is not inside the subnet 10.0.0.0/24",
            OnlyProblem(Pool("a", "10.0.0.0/24") with { Routes = [new PoolRoute(IpCidr.Parse("0.0.0.0/0"), Ip("8.8.8.8"))] }));

    [Fact]
    public void Validate_Ipv6RouteGatewayOutsideSubnet_IsRefused() =>
        Assert.Equal(
            "pool 'a': route gateway fd01::1 (route to ::/0) is not inside the subnet fd00::/64",
            OnlyProblem(Pool("a", "fd00::/64") with { Routes = [new PoolRoute(IpCidr.Parse("::/0"), Ip("fd01::1"))] }));

    [Fact]
    public void Validate_Ipv6LinkLocalGatewayAndRouteGateway_AreAccepted() =>
        Assert.Empty(PoolValidator.Validate(Pool("a", "fd00::/64", gateway: "fe80::1") with
        {
            Routes = [new PoolRoute(IpCidr.Parse("fd99::/16"), Ip("fe80::fe"))],
        }));

    [Theory]
    [InlineData("10.0.0.0", "network")]
    [InlineData("10.0.0.255", "broadcast")]
    public void Validate_RouteGatewayOnTheNetworkOrBroadcastAddress_IsRefused(string via, string edge) =>
        Assert.Equal(
            $"pool 'a': route gateway {via} (route to 10.1.0.0/16) is the {edge} address of 10.0.0.0/24, which no host can use",
            OnlyProblem(Pool("a", "10.0.0.0/24") with { Routes = [new PoolRoute(IpCidr.Parse("10.1.0.0/16"), Ip(via))] }));

    [Fact]
    public void Validate_RouteGatewayOnTheOtherAddressOfASlash31_IsAccepted() =>
        Assert.Empty(PoolValidator.Validate(
            Pool("a", "10.0.0.0/31") with { Routes = [new PoolRoute(IpCidr.Parse("0.0.0.0/0"), Ip("10.0.0.1"))] }));

    [Fact]
    public void Validate_RouteDestinationOfOtherFamily_IsRefused() =>
        Assert.Equal(
            "pool 'a': route destination ::/0 is IPv6 but the pool is IPv4",
            OnlyProblem(Pool("a", "10.0.0.0/24") with { Routes = [new PoolRoute(IpCidr.Parse("::/0"), null)] }));

    [Theory]
    [InlineData(-1)]
    [InlineData(4095)]
    public void Validate_VlanOutOfRange_IsRefused(int vlan) =>
        Assert.Equal(
            $"pool 'a': VLAN {vlan} is out of range (0-4094)",
            OnlyProblem(Pool("a", "10.0.0.0/24") with { Vlan = vlan }));

    [Theory]
    [InlineData(0)]
    [InlineData(4094)]
    public void Validate_VlanAtTheEdges_IsAccepted(int vlan) =>
        Assert.Empty(PoolValidator.Validate(Pool("a", "10.0.0.0/24") with { Vlan = vlan }));

    [Fact]
    public void Validate_UnparsableNodeSelector_IsRefused() =>
        Assert.Equal(
            "pool 'a': node selector 'rack in (a,b': missing ')' after 'b'",
            OnlyProblem(Pool("a", "10.0.0.0/24") with { Affinity = new NodeAffinity([], "rack in (a,b") }));

    [Fact]
    public void Validate_EmptyNodeName_IsRefused() =>
        Assert.Equal(
            "pool 'a': node name #2 of its node affinity is empty",
            OnlyProblem(Pool("a", "10.0.0.0/24") with { Affinity = new NodeAffinity(["node1", " "], null) }));

    [Fact]
    public void Validate_EveryAddressExcludedOrGateway_HandsOutNothing() =>
        Assert.Equal(
            "pool 'a' hands out nothing: every address of its ranges 10.0.0.1-10.0.0.2 is excluded or is the gateway",
            OnlyProblem(Pool("a", "10.0.0.0/24", ["10.0.0.1-10.0.0.2"], ["10.0.0.2"], "10.0.0.1")));

    [Fact]
    public void Validate_Slash32WhoseOnlyAddressIsTheGateway_HandsOutNothing() =>
        Assert.Equal(
            "pool 'a' hands out nothing: every address of its subnet 10.0.0.7/32 is excluded or is the gateway",
            OnlyProblem(Pool("a", "10.0.0.7/32", gateway: "10.0.0.7")));

    [Fact]
    public void Validate_ReportsEveryProblem()
    {
        PoolSpec pool = Pool("Bad", "10.0.0.0/24", ["10.0.1.1"], ["10.0.2.2"], "10.0.3.3") with { Vlan = 5000 };
        Assert.Equal(5, PoolValidator.Validate(pool).Count);
    }

    [Theory]
    [InlineData("::ffff:10.124.0.0/120", "subnet ::ffff:10.124.0.0/120 is inside ::ffff:0:0/96, IPv4-mapped IPv6")]
    [InlineData("224.0.0.0/24", "subnet 224.0.0.0/24 is inside 224.0.0.0/4, multicast")]
    [InlineData("ff02::/16", "subnet ff02::/16 is inside ff00::/8, multicast")]
    [InlineData("127.0.0.0/24", "subnet 127.0.0.0/24 is inside 127.0.0.0/8, loopback")]
    [InlineData("::1/128", "subnet ::1/128 is inside ::1/128, loopback")]
    [InlineData("fe80::/64", "subnet fe80::/64 is inside fe80::/10, link-local")]
    [InlineData("169.254.0.0/16", "subnet 169.254.0.0/16 is inside 169.254.0.0/16, link-local")]
    [InlineData("0.0.0.0/24", "subnet 0.0.0.0/24 is inside 0.0.0.0/8, 'this network'")]
    [InlineData("::/128", "subnet ::/128 is inside ::/128, the unspecified address")]
    [InlineData("96.0.0.0/3", "subnet 96.0.0.0/3 overlaps 127.0.0.0/8, loopback")]
    [InlineData("0.0.0.0/0", "subnet 0.0.0.0/0 is every IPv4 address")]
    [InlineData("::/0", "subnet ::/0 is every IPv6 address")]
    public void Validate_SubnetThatNeverReachesTheWireAsAHostsOwnAddress_IsRefusedNamingTheBlock(string subnet, string expected) =>
        Assert.StartsWith($"pool 'a': {expected}", OnlyProblem(Pool("a", subnet)), StringComparison.Ordinal);

    [Fact]
    public void Validate_Ipv4MappedSubnet_SaysToMakeAnIpv4Pool() =>
        Assert.EndsWith("make an IPv4 pool for them", OnlyProblem(Pool("a", "::ffff:10.124.0.0/120")), StringComparison.Ordinal);

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("100.64.0.0/10")]
    [InlineData("172.20.0.0/16")]
    [InlineData("2001:db8::/32")]
    [InlineData("fd00::/8")]
    [InlineData("::fffe:0:0/96")]
    public void Validate_OrdinaryUnderlaySubnets_AreAccepted(string subnet) =>
        Assert.Empty(PoolValidator.Validate(Pool("a", subnet)));

    [Fact]
    public void Validate_Ipv4PoolWithAnIpv6LinkLocalGateway_IsRefused() =>
        Assert.Equal(
            "pool 'a': gateway fe80::1 is IPv6 but the subnet 10.0.0.0/24 is IPv4",
            OnlyProblem(Pool("a", "10.0.0.0/24", gateway: "fe80::1")));

    [Theory]
    [InlineData("a\0", "a\\u0000", "U+0000")]
    [InlineData("a\n", "a\\u000A", "U+000A")]
    [InlineData("a\tb", "a\\u0009b", "U+0009")]
    public void Validate_ControlCharacterInTheName_IsRefusedAndShownEscaped(string name, string shown, string code) =>
        Assert.Equal(
            $"pool name '{shown}' holds a control character ({code}); remove it",
            OnlyProblem(Pool(name, "10.0.0.0/24")));

    [Fact]
    public void Validate_ControlCharacterInANodeNameOrTheSelector_IsRefused() =>
        Assert.Equal(
            [
                "pool 'a': node name 'node1\\u0000' holds a control character (U+0000); remove it",
                "pool 'a': node selector 'rack=r1\\u001B' holds a control character (U+001B); remove it",
            ],
            PoolValidator.Validate(Pool("a", "10.0.0.0/24") with { Affinity = new NodeAffinity(["node1\0"], "rack=r1\u001b") }));

    [Theory]
    [InlineData("Node1")]
    [InlineData("node_1")]
    [InlineData("-node")]
    [InlineData("node.")]
    [InlineData("a..b")]
    [InlineData("rack1/n1")]
    public void Validate_NodeNameThatIsNotADns1123Subdomain_IsRefused(string name) =>
        Assert.Equal(
            $"pool 'a': node name '{name}' is not valid: use at most 253 characters: lowercase letters, digits and '-' in parts of "
            + "at most 63 separated by single dots, each part starting and ending with a letter or digit (a DNS-1123 subdomain, as "
            + "Kubernetes names nodes)",
            OnlyProblem(Pool("a", "10.0.0.0/24") with { Affinity = new NodeAffinity([name], null) }));

    [Fact]
    public void Validate_NodeNameOf253CharactersIsAccepted_254IsRefused()
    {
        string label = new('n', 63);
        string name253 = $"{label}.{label}.{label}.{new string('n', 61)}";
        Assert.Equal(253, name253.Length);
        Assert.Empty(PoolValidator.Validate(Pool("a", "10.0.0.0/24") with { Affinity = new NodeAffinity([name253], null) }));
        Assert.StartsWith(
            "pool 'a': node name",
            OnlyProblem(Pool("a", "10.0.0.0/24") with { Affinity = new NodeAffinity([name253 + "n"], null) }),
            StringComparison.Ordinal);
    }
}
