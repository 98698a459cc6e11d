using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Core.Tests.TestPools;

namespace Underpool.Core.Tests.Pools;

public sealed class PoolSelectorTests
{
    private static readonly NodeIdentity Node1 = Node("node1", ("rack", "r1"));

    private static Dictionary<string, PoolSpec> Pools(params PoolSpec[] pools) =>
        pools.ToDictionary(p => p.Name, StringComparer.Ordinal);

    private static string[] Names(IReadOnlyList<PoolSpec> pools) => pools.Select(p => p.Name).ToArray();

    [Fact]
    public void Select_RequestedPools_KeepTheConfigOrder()
    {
        var pools = Pools(Pool("a", "10.0.0.0/24"), Pool("b", "10.0.1.0/24"), Pool("c", "10.0.2.0/24"));
        IReadOnlyList<PoolSpec> selected = PoolSelector.Select(IpFamily.V4, ["c", "a", "b"], pools, Node1, out SelectionFailure? failure);
        Assert.Null(failure);
        Assert.Equal(["c", "a", "b"], Names(selected));
    }

    [Fact]
    public void Select_NameListedTwice_IsTriedOnce()
    {
        var pools = Pools(Pool("a", "10.0.0.0/24"), Pool("b", "10.0.1.0/24"));
        Assert.Equal(["b", "a"], Names(PoolSelector.Select(IpFamily.V4, ["b", "a", "b"], pools, Node1, out _)));
    }

    [Fact]
    public void Select_NothingRequested_UsesDefaultPoolsOfTheFamilyInNameOrder()
    {
        var pools = Pools(
            Pool("z", "10.0.0.0/24") with { IsDefault = true },
            Pool("m", "10.0.1.0/24"),
            Pool("b", "10.0.2.0/24") with { IsDefault = true },
            Pool("v6", "fd00::/64") with { IsDefault = true });
        IReadOnlyList<PoolSpec> selected = PoolSelector.Select(IpFamily.V4, [], pools, Node1, out SelectionFailure? failure);
        Assert.Null(failure);
        Assert.Equal(["b", "z"], Names(selected));
    }

    [Fact]
    public void Select_NothingRequestedAndNoDefault_FailsWithNoDefaultPool()
    {
        var pools = Pools(Pool("a", "10.0.0.0/24") with { IsDefault = true }, Pool("v6", "fd00::/64"));
        Assert.Empty(PoolSelector.Select(IpFamily.V6, [], pools, Node1, out SelectionFailure? failure));
        Assert.Equal(
            new SelectionFailure(
                SelectionFailureKind.NoDefaultPool,
                "no IPv6 pool is named in the CNI config and no default IPv6 pool exists; name one under ipam.pools.ipv6 or create one with --default"),
            failure);
    }

    [Fact]
    public void Select_UnknownName_FailsNamingItAndTheKnownPoolsOfTheFamily()
    {
        var pools = Pools(Pool("b", "10.0.1.0/24"), Pool("a", "10.0.0.0/24"), Pool("v6", "fd00::/64"));
        Assert.Empty(PoolSelector.Select(IpFamily.V4, ["a", "nope"], pools, Node1, out SelectionFailure? failure));
        Assert.Equal(SelectionFailureKind.UnknownPool, failure?.Kind);
        Assert.Equal("pool 'nope' listed under ipam.pools.ipv4 does not exist; known IPv4 pools: a, b", failure?.Message);
    }

    [Fact]
    public void Select_UnknownNameWhenNoPoolOfTheFamilyExists_SaysSo()
    {
        PoolSelector.Select(IpFamily.V6, ["nope"], Pools(Pool("a", "10.0.0.0/24")), Node1, out SelectionFailure? failure);
        Assert.Equal("pool 'nope' listed under ipam.pools.ipv6 does not exist; no IPv6 pool exists yet", failure?.Message);
    }

    [Fact]
    public void Select_PoolOfTheOtherFamily_FailsWithWrongFamily()
    {
        var pools = Pools(Pool("a", "10.0.0.0/24"), Pool("v6pool", "fd00::/64"));
        Assert.Empty(PoolSelector.Select(IpFamily.V4, ["a", "v6pool"], pools, Node1, out SelectionFailure? failure));
        Assert.Equal(
            new SelectionFailure(SelectionFailureKind.WrongFamily, "pool 'v6pool' is IPv6 (fd00::/64) but is listed under ipam.pools.ipv4"),
            failure);
    }

    [Fact]
    public void Select_DisabledPool_IsDropped()
    {
        var pools = Pools(Pool("a", "10.0.0.0/24") with { Disabled = true }, Pool("b", "10.0.1.0/24"));
        Assert.Equal(["b"], Names(PoolSelector.Select(IpFamily.V4, ["a", "b"], pools, Node1, out SelectionFailure? failure)));
        Assert.Null(failure);
    }

    [Fact]
    public void Select_AffinityByName_DropsPoolsForOtherNodes()
    {
        var pools = Pools(
            Pool("rack1", "10.0.0.0/24") with { Affinity = new NodeAffinity(["node1"], null) },
            Pool("rack2", "10.0.1.0/24") with { Affinity = new NodeAffinity(["node2"], null) });
        Assert.Equal(["rack1"], Names(PoolSelector.Select(IpFamily.V4, ["rack2", "rack1"], pools, Node1, out _)));
    }

    [Fact]
    public void Select_AffinityByLabels_DropsPoolsForOtherRacks()
    {
        var pools = Pools(
            Pool("rack1", "10.0.0.0/24") with { Affinity = new NodeAffinity([], "rack=r1") },
            Pool("rack2", "10.0.1.0/24") with { Affinity = new NodeAffinity([], "rack=r2") });
        Assert.Equal(["rack1"], Names(PoolSelector.Select(IpFamily.V4, ["rack1", "rack2"], pools, Node1, out _)));
    }

    [Fact]
    public void Select_DefaultsAreFilteredToo()
    {
        var pools = Pools(
            Pool("a", "10.0.0.0/24") with { IsDefault = true, Affinity = new NodeAffinity(["node2"], null) },
            Pool("b", "10.0.1.0/24") with { IsDefault = true });
        Assert.Equal(["b"], Names(PoolSelector.Select(IpFamily.V4, [], pools, Node1, out _)));
    }

    [Fact]
    public void Select_NoneEligible_SaysPerPoolWhyItWasDropped()
    {
        var pools = Pools(
            Pool("rack2", "10.0.1.0/24") with { Affinity = new NodeAffinity(["node2"], null) },
            Pool("rack3", "10.0.2.0/24") with { Affinity = new NodeAffinity([], "rack=r3") },
            Pool("old", "10.0.3.0/24") with { Disabled = true });
        Assert.Empty(PoolSelector.Select(IpFamily.V4, ["rack2", "rack3", "old"], pools, Node1, out SelectionFailure? failure));
        Assert.Equal(SelectionFailureKind.NoEligiblePool, failure?.Kind);
        Assert.Equal(
            "no IPv4 pool can be used on node node1: pool 'rack2' allows only nodes node2, and node1 is not one of the named nodes; "
            + "pool 'rack3' allows only nodes with labels rack=r3, and node1's labels rack=r1 do not match; "
            + "pool 'old' is disabled ('underpoolctl pool update old --enable' enables it)",
            failure?.Message);
    }

    [Fact]
    public void Select_NamesAndSelector_ANamedNodeWhoseLabelsDoNotMatchIsRefusedSayingSo()
    {
        var pools = Pools(Pool("pair", "10.0.0.0/24") with { Affinity = new NodeAffinity(["node1", "node2"], "rack=r2") });
        Assert.Empty(PoolSelector.Select(IpFamily.V4, ["pair"], pools, Node1, out SelectionFailure? failure));
        Assert.Equal(
            "no IPv4 pool can be used on node node1: pool 'pair' allows only nodes node1,node2 with labels rack=r2, "
            + "and node1's labels rack=r1 do not match",
            failure?.Message);
    }

    [Fact]
    public void Select_APoolThatBreaksARule_IsDroppedWithItsProblem()
    {
        var pools = Pools(Pool("mapped", "::ffff:10.124.0.0/120"), Pool("v6", "fd00::/64"));
        var broken = new Dictionary<string, IReadOnlyList<string>> { ["mapped"] = ["pool 'mapped': subnet is IPv4-mapped"] };

        Assert.Equal(["v6"], Names(PoolSelector.Select(IpFamily.V6, ["mapped", "v6"], pools, Node1, out _, broken)));
        Assert.Empty(PoolSelector.Select(IpFamily.V6, ["mapped"], pools, Node1, out SelectionFailure? failure, broken));
        Assert.Equal(
            "no IPv6 pool can be used on node node1: pool 'mapped' breaks a pool rule and hands out nothing new "
            + "(pool 'mapped': subnet is IPv4-mapped)",
            failure?.Message);
    }
}
