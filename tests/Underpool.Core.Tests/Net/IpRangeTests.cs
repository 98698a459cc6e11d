using Underpool.Core.Net;

namespace Underpool.Core.Tests.Net;

public sealed class IpRangeTests
{
    [Fact]
    public void TryParse_Dashed_ReadsBothEnds()
    {
        Assert.True(IpRange.TryParse("10.0.0.10-10.0.0.20", out IpRange range, out _));
        Assert.Equal(IpAddress.Parse("10.0.0.10"), range.Start);
        Assert.Equal(IpAddress.Parse("10.0.0.20"), range.End);
        Assert.Equal((UInt128)11, range.Count);
    }

    [Fact]
    public void TryParse_SingleAddress_IsARangeOfOne()
    {
        Assert.True(IpRange.TryParse("fd00::7", out IpRange range, out _));
        Assert.Equal(range.Start, range.End);
        Assert.Equal(UInt128.One, range.Count);
        Assert.Equal("fd00::7", range.ToString());
    }

    [Theory]
    [InlineData("10.0.0.20-10.0.0.10", "range 10.0.0.20-10.0.0.10 ends before it starts")]
    [InlineData("10.0.0.1-fd00::1", "range 10.0.0.1-fd00::1 mixes IPv4 and IPv6")]
    [InlineData("10.0.0-10.0.0.5", "'10.0.0-10.0.0.5' is not a range: '10.0.0' is not an address (expected a-b or a single address)")]
    [InlineData("10.0.0.1-x", "'10.0.0.1-x' is not a range: 'x' is not an address (expected a-b or a single address)")]
    public void TryParse_Malformed_ExplainsWhy(string text, string expected)
    {
        Assert.False(IpRange.TryParse(text, out _, out string? error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Count_WholeIpv6Space_Saturates() =>
        Assert.Equal(UInt128.MaxValue, IpRange.Of(IpCidr.Parse("::/0")).Count);

    [Theory]
    [InlineData("10.0.0.10-10.0.0.20", "10.0.0.10", true)]
    [InlineData("10.0.0.10-10.0.0.20", "10.0.0.20", true)]
    [InlineData("10.0.0.10-10.0.0.20", "10.0.0.9", false)]
    [InlineData("10.0.0.10-10.0.0.20", "10.0.0.21", false)]
    [InlineData("0.0.0.10-0.0.0.20", "::10", false)]
    public void Contains_Edges(string range, string address, bool expected) =>
        Assert.Equal(expected, IpRange.Parse(range).Contains(IpAddress.Parse(address)));

    [Theory]
    [InlineData("10.0.0.1-10.0.0.10", "10.0.0.10-10.0.0.20", true)]
    [InlineData("10.0.0.1-10.0.0.10", "10.0.0.11-10.0.0.20", false)]
    [InlineData("10.0.0.5", "10.0.0.1-10.0.0.10", true)]
    [InlineData("10.0.0.1-10.0.0.10", "::1-::10", false)]
    public void Overlaps_Edges(string a, string b, bool expected)
    {
        Assert.Equal(expected, IpRange.Parse(a).Overlaps(IpRange.Parse(b)));
        Assert.Equal(expected, IpRange.Parse(b).Overlaps(IpRange.Parse(a)));
    }

    [Fact]
    public void Of_Cidr_SpansNetworkToLast()
    {
        IpRange range = IpRange.Of(IpCidr.Parse("10.0.0.0/30"));
        Assert.Equal("10.0.0.0-10.0.0.3", range.ToString());
    }
}
