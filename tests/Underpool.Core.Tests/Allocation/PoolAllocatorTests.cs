using Underpool.Core.Allocation;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Core.Tests.TestPools;

namespace Underpool.Core.Tests.Allocation;

public sealed class PoolAllocatorTests
{
    private static List<string> TakeAll(PoolAllocator allocator)
    {
        var taken = new List<string>();
        while (allocator.TryTake(out IpAddress address))
        {
            taken.Add(address.ToString());
        }

        return taken;
    }

    [Fact]
    public void Capacity_SubtractsNetworkBroadcastGatewayAndExcluded()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29", exclude: ["10.0.0.6"], gateway: "10.0.0.1"));
        Assert.Equal((UInt128)4, allocator.Capacity);
    }

    [Fact]
    public void TryTake_Slash29WithGatewayAndExclude_RunsOutExactlyAtCapacity()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29", exclude: ["10.0.0.6"], gateway: "10.0.0.1"));
        Assert.Equal(["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"], TakeAll(allocator));
        Assert.Equal(4, allocator.UsedCount);
        Assert.False(allocator.TryTake(out _));
    }

    [Fact]
    public void TryTake_ReleasedAddress_IsNotReusedBeforeTheOthers()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29"));
        allocator.TryTake(out IpAddress first);
        allocator.TryTake(out _);
        allocator.Release(first);
        Assert.Equal(["10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.1"], TakeAll(allocator));
    }

    [Fact]
    public void StartAt_ASeed_StartsThereModuloThePoolSizeAndStillWrapsRoundToEveryAddress()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29"));

        allocator.StartAt(6 + 3);

        Assert.Equal(["10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.1", "10.0.0.2", "10.0.0.3"], TakeAll(allocator));
    }

    [Fact]
    public void StartAt_ASeedInASlash64_StartsFarIntoThePoolWithoutEnumeratingIt()
    {
        var allocator = new PoolAllocator(Pool("a", "fd00:1::/64"));

        allocator.StartAt(0x0123_4567_89ab_cdef);

        Assert.True(allocator.TryTake(out IpAddress address));
        // Index 0 is fd00:1::1 (the subnet-router anycast address ::0 is never handed out).
        Assert.Equal(Ip("fd00:1::123:4567:89ab:cdf0"), address);
    }

    [Fact]
    public void CursorSeed_IsStablePerNodeAndSpreadsNodesOverAPool()
    {
        Assert.Equal(CursorSeed.ForNode("node1"), CursorSeed.ForNode("node1"));
        ulong[] starts = Enumerable.Range(1, 16).Select(n => CursorSeed.ForNode($"node{n}") % 254).ToArray();
        Assert.True(starts.Distinct().Count() >= 12, $"16 nodes start at only {starts.Distinct().Count()} places of 254");
    }

    [Fact]
    public void ContinueFrom_TheSameGeneration_KeepsTheCooldownOfAReleasedAddress()
    {
        PoolSpec pool = Pool("a", "10.0.0.0/29") with { Generation = 7 };
        var before = new PoolAllocator(pool);
        before.TryTake(out IpAddress first);
        before.Release(first);
        var rebuilt = new PoolAllocator(pool);

        rebuilt.ContinueFrom(before);

        Assert.True(rebuilt.TryTake(out IpAddress next));
        Assert.Equal(Ip("10.0.0.2"), next);
    }

    [Fact]
    public void ContinueFrom_AnotherGeneration_StartsAtTheBeginning()
    {
        var before = new PoolAllocator(Pool("a", "10.0.0.0/29") with { Generation = 7 });
        before.TryTake(out _);
        var recreated = new PoolAllocator(Pool("a", "10.0.0.0/29") with { Generation = 8 });

        recreated.ContinueFrom(before);

        Assert.True(recreated.TryTake(out IpAddress next));
        Assert.Equal(Ip("10.0.0.1"), next);
    }

    [Fact]
    public void TryTake_WrapsRoundToAddressesFreedBehindTheCursor()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29"));
        TakeAll(allocator);
        allocator.Release(Ip("10.0.0.3"));
        Assert.True(allocator.TryTake(out IpAddress address));
        Assert.Equal(Ip("10.0.0.3"), address);
    }

    [Fact]
    public void TryTake_SkipsReservedAddresses()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29"));
        allocator.SetReserved([Ip("10.0.0.2"), Ip("10.0.0.4"), Ip("192.168.0.1"), Ip("fd00::2")]);
        Assert.Equal(["10.0.0.1", "10.0.0.3", "10.0.0.5", "10.0.0.6"], TakeAll(allocator));
    }

    [Fact]
    public void SetReserved_Replaces_SoAnUnreservedAddressIsHandedOutAgain()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29"));
        allocator.SetReserved([Ip("10.0.0.2")]);
        allocator.SetReserved([Ip("10.0.0.3")]);
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.4", "10.0.0.5", "10.0.0.6"], TakeAll(allocator));
    }

    [Fact]
    public void SetReserved_UnreservingAnExcludedAddress_KeepsItExcluded()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/30", exclude: ["10.0.0.1"]));
        allocator.SetReserved([Ip("10.0.0.1")]);
        allocator.SetReserved([]);
        Assert.Equal(["10.0.0.2"], TakeAll(allocator));
    }

    [Fact]
    public void MarkUsed_ReservedAddress_CountsAndReleasesWithoutCorruptingTheCounts()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29", exclude: ["10.0.0.6"], gateway: "10.0.0.1"));
        allocator.SetReserved([Ip("10.0.0.2")]);
        Assert.True(allocator.MarkUsed(Ip("10.0.0.2")));
        Assert.True(allocator.MarkUsed(Ip("10.0.0.6")));
        Assert.Equal(2, allocator.UsedCount);
        Assert.True(allocator.Release(Ip("10.0.0.2")));
        Assert.True(allocator.Release(Ip("10.0.0.6")));
        Assert.Equal(0, allocator.UsedCount);
        Assert.Equal(["10.0.0.3", "10.0.0.4", "10.0.0.5"], TakeAll(allocator));
    }

    [Fact]
    public void MarkUsed_AlreadyUsed_ReturnsFalse()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/24"));
        Assert.True(allocator.MarkUsed(Ip("10.0.0.9")));
        Assert.False(allocator.MarkUsed(Ip("10.0.0.9")));
        Assert.Equal(1, allocator.UsedCount);
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.255")]
    [InlineData("10.0.1.1")]
    [InlineData("fd00::1")]
    public void MarkUsed_OutsideTheEffectiveRanges_IsIgnored(string address)
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/24"));
        Assert.False(allocator.MarkUsed(Ip(address)));
        Assert.False(allocator.IsUsed(Ip(address)));
        Assert.Equal(0, allocator.UsedCount);
    }

    [Fact]
    public void MarkUsed_AddressAheadOfTheCursor_IsSkippedByTryTake()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29"));
        allocator.MarkUsed(Ip("10.0.0.1"));
        allocator.MarkUsed(Ip("10.0.0.2"));
        Assert.True(allocator.TryTake(out IpAddress address));
        Assert.Equal(Ip("10.0.0.3"), address);
    }

    [Fact]
    public void Release_UnusedAddress_ReturnsFalse()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/24"));
        Assert.False(allocator.Release(Ip("10.0.0.9")));
        Assert.False(allocator.Release(Ip("10.9.0.9")));
    }

    [Fact]
    public void IsUsed_FollowsTakeAndRelease()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/24"));
        allocator.TryTake(out IpAddress address);
        Assert.True(allocator.IsUsed(address));
        allocator.Release(address);
        Assert.False(allocator.IsUsed(address));
    }

    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("10.0.0.6", false)]
    [InlineData("10.0.0.7", false)]
    [InlineData("10.0.0.0", false)]
    [InlineData("10.0.0.4", false)]
    public void CanHandOut_RefusesGatewayExcludedReservedAndOutsideRanges(string address, bool expected)
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/29", exclude: ["10.0.0.6"], gateway: "10.0.0.1"));
        allocator.SetReserved([Ip("10.0.0.4")]);
        Assert.Equal(expected, allocator.CanHandOut(Ip(address)));
    }

    [Fact]
    public void TryTake_SeveralRanges_WalksThemInAddressOrder()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.0/24", ["10.0.0.20-10.0.0.21", "10.0.0.10-10.0.0.11", "10.0.0.30"]));
        Assert.Equal(["10.0.0.10", "10.0.0.11", "10.0.0.20", "10.0.0.21", "10.0.0.30"], TakeAll(allocator));
    }

    [Fact]
    public void TryTake_PoolThatHandsOutNothing_ReturnsFalse()
    {
        var allocator = new PoolAllocator(Pool("a", "10.0.0.7/32", gateway: "10.0.0.7"));
        Assert.Equal(UInt128.Zero, allocator.Capacity);
        Assert.False(allocator.TryTake(out _));
    }

    [Fact]
    public void Capacity_Slash64_IsTwoToThe64LessTheNetworkAddress() =>
        Assert.Equal((UInt128.One << 64) - 1, new PoolAllocator(Pool("a", "fd00::/64")).Capacity);

    [Fact]
    public void Capacity_RangeSpanningAWhole64_IsTwoToThe64() =>
        Assert.Equal(UInt128.One << 64, new PoolAllocator(Pool("a", "fd00::/64", ["fd00::-fd00::ffff:ffff:ffff:ffff"])).Capacity);

    [Fact]
    public void TryTake_Slash64WithARangeSpanningIt_HandsOutDistinctAddressesInRange()
    {
        IpCidr subnet = IpCidr.Parse("fd00:1:2:3::/64");
        var allocator = new PoolAllocator(Pool("a", subnet.ToString(), ["fd00:1:2:3::-fd00:1:2:3:ffff:ffff:ffff:ffff"], gateway: "fd00:1:2:3::1"));
        var seen = new HashSet<IpAddress>();
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(allocator.TryTake(out IpAddress address));
            Assert.True(subnet.Contains(address));
            Assert.NotEqual(Ip("fd00:1:2:3::1"), address);
            Assert.True(seen.Add(address));
        }

        Assert.Equal(10_000, allocator.UsedCount);
    }

    [Fact]
    public void TryTake_Slash16_HandsOutDistinctAddressesInRange()
    {
        IpCidr subnet = IpCidr.Parse("10.1.0.0/16");
        var allocator = new PoolAllocator(Pool("a", subnet.ToString(), gateway: "10.1.0.1"));
        var seen = new HashSet<IpAddress>();
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(allocator.TryTake(out IpAddress address));
            Assert.True(subnet.Contains(address) && address != subnet.Network && address != subnet.Last);
            Assert.True(seen.Add(address));
        }

        Assert.Equal(10_000, allocator.UsedCount);
    }

    [Fact]
    public void TryTake_Slash16_RunsOutExactlyAtCapacity()
    {
        var allocator = new PoolAllocator(Pool("a", "10.1.0.0/16", gateway: "10.1.0.1"));
        Assert.Equal(65_533, TakeAll(allocator).Distinct().Count());
        Assert.Equal((UInt128)65_533, allocator.Capacity);
    }

    [Fact]
    public void TryTake_Slash64_SkipsAddressesMarkedByAnotherAgent()
    {
        var allocator = new PoolAllocator(Pool("a", "fd00::/64"));
        for (int i = 1; i <= 1000; i++)
        {
            allocator.MarkUsed(Ip("fd00::").Add((UInt128)i));
        }

        Assert.True(allocator.TryTake(out IpAddress address));
        Assert.Equal(Ip("fd00::3e9"), address);
    }
}
