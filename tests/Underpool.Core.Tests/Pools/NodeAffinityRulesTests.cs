using Underpool.Core.Pools;
using static Underpool.Core.Tests.TestPools;

namespace Underpool.Core.Tests.Pools;

public sealed class NodeAffinityRulesTests
{
    [Fact]
    public void Allows_Any_AllowsEveryNode() => Assert.True(NodeAffinity.Any.Allows(Node("node1")));

    [Fact]
    public void Allows_NamedNode_IsAllowed_OthersAreNot()
    {
        var affinity = new NodeAffinity(["node1", "node2"], null);
        Assert.True(affinity.Allows(Node("node2")));
        Assert.False(affinity.Allows(Node("node3")));
    }

    [Fact]
    public void Allows_SelectorMatch_IsAllowed_OthersAreNot()
    {
        var affinity = new NodeAffinity([], "rack=r1");
        Assert.True(affinity.Allows(Node("node9", ("rack", "r1"))));
        Assert.False(affinity.Allows(Node("node9", ("rack", "r2"))));
    }

    [Fact]
    public void Allows_NamesAndSelector_OnlyANamedNodeWhoseLabelsMatch()
    {
        // Both narrow (an intersection): each option means what its help says, "only these nodes may use the pool".
        var affinity = new NodeAffinity(["node1", "odd"], "rack=r1");
        Assert.True(affinity.Allows(Node("node1", ("rack", "r1"))));
        Assert.False(affinity.Allows(Node("odd", ("rack", "r2"))));
        Assert.False(affinity.Allows(Node("node2", ("rack", "r1"))));
    }

    [Fact]
    public void Refusal_SaysWhetherTheNameOrTheLabelsKeptTheNodeOut()
    {
        var affinity = new NodeAffinity(["node1", "odd"], "rack=r1");
        Assert.Equal("node2 is not one of the named nodes", affinity.Refusal(Node("node2", ("rack", "r1"))));
        Assert.Equal("odd's labels rack=r2,zone=a do not match", affinity.Refusal(Node("odd", ("zone", "a"), ("rack", "r2"))));
        Assert.Equal("odd has no labels", affinity.Refusal(Node("odd")));
        Assert.Null(affinity.Refusal(Node("node1", ("rack", "r1"))));
    }

    [Fact]
    public void Allows_UnparsableSelector_AllowsNoUnnamedNode() =>
        Assert.False(new NodeAffinity([], "rack in (").Allows(Node("node1", ("rack", "r1"))));

    [Fact]
    public void Describe_NamesAndSelector() =>
        Assert.Equal("nodes node1,node2 with labels rack=r1", new NodeAffinity(["node1", "node2"], "rack==r1").Describe());

    [Fact]
    public void Describe_SelectorOnly() =>
        Assert.Equal("nodes with labels rack in (a,b)", new NodeAffinity([], "rack in (b,a)").Describe());

    [Fact]
    public void Describe_Any() => Assert.Equal("any node", NodeAffinity.Any.Describe());
}
