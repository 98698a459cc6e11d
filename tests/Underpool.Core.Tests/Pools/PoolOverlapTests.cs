using Underpool.Core.Pools;
using static Underpool.Core.Tests.TestPools;

namespace Underpool.Core.Tests.Pools;

public sealed class PoolOverlapTests
{
    [Fact]
    public void Find_PoolsOfOneSubnetWithDisjointRanges_MayLiveSideBySide() =>
        Assert.Empty(PoolOverlap.Find(
            Pool("r2", "10.20.0.0/24", ["10.20.0.100-10.20.0.199"], gateway: "10.20.0.1"),
            [Pool("r1", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"], gateway: "10.20.0.1")]));

    [Fact]
    public void Find_RangesThatOverlap_NameTheFirstAddressBothWouldHandOut() =>
        Assert.Equal(
            "pool 'r2' and pool 'r1' would both hand out 10.20.0.90 (subnet 10.20.0.0/24); pools of one subnet need disjoint "
            + "ranges, or the shared addresses excluded from one of them",
            Assert.Single(PoolOverlap.Find(
                Pool("r2", "10.20.0.0/24", ["10.20.0.90-10.20.0.199"]),
                [Pool("r1", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"])])));

    [Fact]
    public void Find_AnOverlapEveryAddressOfWhichOnePoolExcludes_IsNoOverlap() =>
        Assert.Empty(PoolOverlap.Find(
            Pool("r2", "10.20.0.0/24", ["10.20.0.98-10.20.0.199"], exclude: ["10.20.0.99"]),
            [Pool("r1", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"], exclude: ["10.20.0.98"])]));

    [Fact]
    public void Find_ExcludesThatLeaveOneSharedAddress_NameIt() =>
        Assert.Contains(
            "would both hand out 10.20.0.99 ",
            Assert.Single(PoolOverlap.Find(
                Pool("r2", "10.20.0.0/24", ["10.20.0.97-10.20.0.199"], exclude: ["10.20.0.97"]),
                [Pool("r1", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"], exclude: ["10.20.0.98"])])),
            StringComparison.Ordinal);

    [Fact]
    public void Find_TwoSlash64PoolsSplitByHalves_AreDisjointWithoutEnumeratingThem()
    {
        // Each half holds 2^63 addresses: anything but range arithmetic would never finish.
        Assert.Empty(PoolOverlap.Find(
            Pool("hi", "fd00:20::/64", ["fd00:20::8000:0:0:0-fd00:20::ffff:ffff:ffff:ffff"]),
            [Pool("lo", "fd00:20::/64", ["fd00:20::1-fd00:20::7fff:ffff:ffff:ffff"])]));
        Assert.Contains(
            "would both hand out fd00:20::7fff:ffff:ffff:ffff ",
            Assert.Single(PoolOverlap.Find(
                Pool("hi", "fd00:20::/64", ["fd00:20::7fff:ffff:ffff:ffff-fd00:20::ffff:ffff:ffff:ffff"]),
                [Pool("lo", "fd00:20::/64", ["fd00:20::1-fd00:20::7fff:ffff:ffff:ffff"])])),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Find_APoolWithoutRanges_HandsOutItsWholeSubnetAndSaysSo() =>
        Assert.EndsWith(
            "(pool 'all' has no ranges, so it hands out its whole subnet)",
            Assert.Single(PoolOverlap.Find(Pool("r1", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"]), [Pool("all", "10.20.0.0/24")])),
            StringComparison.Ordinal);

    [Fact]
    public void Find_SubnetsOfDifferentPrefixLengths_AreRefusedSayingWhy() =>
        Assert.Equal(
            "pool 'b' subnet 10.0.0.0/16 overlaps pool 'a' subnet 10.0.1.0/24; pools may share addresses of one subnet only when "
            + "both declare that same subnet (the same prefix length), or their pods would disagree about which addresses are on "
            + "their link",
            Assert.Single(PoolOverlap.Find(Pool("b", "10.0.0.0/16", ["10.0.200.1-10.0.200.9"]), [Pool("a", "10.0.1.0/24")])));

    [Fact]
    public void Find_APoolThatWouldHandOutAnotherPoolsGateway_IsRefused() =>
        Assert.Equal(
            "pool 'r2' would hand out 10.20.0.1, the gateway of pool 'r1' on the same subnet; exclude it or keep it out of the ranges",
            Assert.Single(PoolOverlap.Find(
                Pool("r2", "10.20.0.0/24", ["10.20.0.1-10.20.0.9"]),
                [Pool("r1", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"], gateway: "10.20.0.1")])));

    [Fact]
    public void Find_AGatewayThatAnotherPoolHandsOut_IsRefused() =>
        Assert.Equal(
            "pool 'r2' names 10.20.0.50 as its gateway, but pool 'r1' on the same subnet hands it out; exclude it from that pool first",
            Assert.Single(PoolOverlap.Find(
                Pool("r2", "10.20.0.0/24", ["10.20.0.100-10.20.0.199"], gateway: "10.20.0.50"),
                [Pool("r1", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"], gateway: "10.20.0.1")])));

    [Fact]
    public void Find_PoolsOfOneSubnetWithDifferentGatewaysNeitherHandsOut_AreAccepted() =>
        Assert.Empty(PoolOverlap.Find(
            Pool("r2", "10.20.0.0/24", ["10.20.0.100-10.20.0.199"], gateway: "10.20.0.254"),
            [Pool("r1", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"], gateway: "10.20.0.1")]));

    [Fact]
    public void Find_ReportsEveryPoolItClashesWith() =>
        Assert.Equal(2, PoolOverlap.Find(
            Pool("all", "10.20.0.0/24"),
            [Pool("r1", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"]), Pool("r2", "10.20.0.0/24", ["10.20.0.100-10.20.0.199"])]).Count);

    [Fact]
    public void Find_AnApplicationPoolAndItsParentOrSiblings_AreNotCompared()
    {
        PoolSpec parent = Pool("vlan20", "10.20.0.0/24", ["10.20.0.10-10.20.0.99"]);
        PoolSpec carved = Pool("web", "10.20.0.0/24", ["10.20.0.10-10.20.0.14"]) with { Parent = "vlan20", App = "shop/web" };
        PoolSpec sibling = Pool("api", "10.20.0.0/24", ["10.20.0.15-10.20.0.19"]) with { Parent = "vlan20", App = "shop/api" };

        Assert.Empty(PoolOverlap.Find(carved, [parent, sibling]));
        Assert.Empty(PoolOverlap.Find(parent, [carved, sibling]));
    }

    [Fact]
    public void Find_DisjointSubnetsOtherFamilyAndTheSameName_AreSkipped() =>
        Assert.Empty(PoolOverlap.Find(
            Pool("b", "10.0.1.0/24"),
            [Pool("a", "10.0.0.0/24"), Pool("c", "10.0.2.0/23"), Pool("v6", "fd00::/8"), Pool("b", "10.0.1.0/24")]));
}
