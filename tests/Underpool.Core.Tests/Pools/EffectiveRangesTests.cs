using Underpool.Core.Pools;
using static Underpool.Core.Tests.TestPools;

namespace Underpool.Core.Tests.Pools;

public sealed class EffectiveRangesTests
{
    private static string[] Effective(string subnet, params string[] ranges) =>
        PoolValidator.EffectiveRanges(Pool("a", subnet, ranges)).Select(r => r.ToString()).ToArray();

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.1-10.0.0.254")]
    [InlineData("10.0.0.0/30", "10.0.0.1-10.0.0.2")]
    [InlineData("10.0.0.0/31", "10.0.0.0-10.0.0.1")]
    [InlineData("10.0.0.7/32", "10.0.0.7")]
    [InlineData("0.0.0.0/0", "0.0.0.1-255.255.255.254")]
    [InlineData("fd00::/64", "fd00::1-fd00::ffff:ffff:ffff:ffff")]
    [InlineData("fd00::/126", "fd00::1-fd00::3")]
    [InlineData("fd00::/127", "fd00::-fd00::1")]
    [InlineData("fd00::1/128", "fd00::1")]
    public void NoRanges_WholeSubnetLessNetworkAndIpv4Broadcast(string subnet, string expected) =>
        Assert.Equal([expected], Effective(subnet));

    [Fact]
    public void ExplicitRanges_AreSortedAndMerged() =>
        Assert.Equal(
            ["10.0.0.1-10.0.0.20", "10.0.0.30", "10.0.0.40-10.0.0.50"],
            Effective("10.0.0.0/24", "10.0.0.40-10.0.0.50", "10.0.0.11-10.0.0.20", "10.0.0.30", "10.0.0.1-10.0.0.10", "10.0.0.5-10.0.0.12"));

    [Fact]
    public void ExplicitRanges_SpanningAWhole64_AreKept() =>
        Assert.Equal(["fd00::-fd00::ffff:ffff:ffff:ffff"], Effective("fd00::/64", "fd00::-fd00::ffff:ffff:ffff:ffff"));

    [Fact]
    public void RangesOutsideTheSubnetOrOfTheOtherFamily_AreClippedAway() =>
        Assert.Equal(["10.0.0.250-10.0.0.255"], Effective("10.0.0.0/24", "10.0.0.250-10.0.1.5", "fd00::1"));
}
