using Underpool.Core.Pools;
using static Underpool.Core.Tests.TestPools;

namespace Underpool.Core.Tests.Pools;

public sealed class PoolChangeTests
{
    [Fact]
    public void Withdrawn_NewlyExcludedAddressesInsideTheRanges_AndOnlyThose()
    {
        PoolSpec before = Pool("a", "10.0.0.0/24", ["10.0.0.10-10.0.0.20"], exclude: ["10.0.0.11"]);
        PoolSpec after = before with { Exclude = [Ip("10.0.0.11"), Ip("10.0.0.15"), Ip("10.0.0.30"), Ip("10.0.0.12")] };

        Assert.Equal([Ip("10.0.0.12"), Ip("10.0.0.15")], PoolChange.Withdrawn(before, after));
    }

    [Fact]
    public void Withdrawn_ANewGatewayInsideTheRanges()
    {
        PoolSpec before = Pool("a", "10.0.0.0/24", ["10.0.0.10-10.0.0.20"], gateway: "10.0.0.1");

        Assert.Equal([Ip("10.0.0.10")], PoolChange.Withdrawn(before, before with { Gateway = Ip("10.0.0.10") }));
        Assert.Empty(PoolChange.Withdrawn(before, before with { Gateway = Ip("10.0.0.254") })!);
    }

    [Fact]
    public void Withdrawn_AddedRangesAndRemovedExcludesWithdrawNothing()
    {
        PoolSpec before = Pool("a", "10.0.0.0/24", ["10.0.0.10-10.0.0.20"], exclude: ["10.0.0.11"]);

        Assert.Empty(PoolChange.Withdrawn(before, before with { Ranges = [.. before.Ranges, Range("10.0.0.30-10.0.0.40")], Exclude = [] })!);
    }

    [Fact]
    public void Withdrawn_IsNullWhenARangeShrinks() =>
        Assert.Null(PoolChange.Withdrawn(
            Pool("a", "fd00::/64", ["fd00::1-fd00::ffff:ffff:ffff:ffff"]),
            Pool("a", "fd00::/64", ["fd00::1-fd00::ffff"])));

    private static Underpool.Core.Net.IpRange Range(string text) => Underpool.Core.Net.IpRange.Parse(text);
}
