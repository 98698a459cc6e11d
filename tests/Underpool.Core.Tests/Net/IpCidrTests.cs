using Underpool.Core.Net;

namespace Underpool.Core.Tests.Net;

public sealed class IpCidrTests
{
    [Fact]
    public void TryParse_HostBitsSet_SuggestsTheMaskedCidr()
    {
        Assert.False(IpCidr.TryParse("10.0.0.5/24", out _, out string? error));
        Assert.Equal("10.0.0.5/24 has host bits set; did you mean 10.0.0.0/24?", error);
    }

    [Fact]
    public void TryParse_Ipv6HostBitsSet_SuggestsTheMaskedCidr()
    {
        Assert.False(IpCidr.TryParse("fd00::1/64", out _, out string? error));
        Assert.Equal("fd00::1/64 has host bits set; did you mean fd00::/64?", error);
    }

    [Theory]
    [InlineData("10.0.0.0/33", "prefix length /33 is out of range for IPv4 (0-32)")]
    [InlineData("fd00::/129", "prefix length /129 is out of range for IPv6 (0-128)")]
    [InlineData("10.0.0.0", "'10.0.0.0' is not a CIDR: expected ADDRESS/PREFIX such as 10.0.0.0/24 or fd00::/64")]
    [InlineData("10.0/8", "'10.0/8' is not a CIDR: '10.0' is not an IPv4 or IPv6 address")]
    [InlineData("10.0.0.0/x", "'10.0.0.0/x' is not a CIDR: the prefix length 'x' is not a number")]
    [InlineData("10.0.0.0/-1", "'10.0.0.0/-1' is not a CIDR: the prefix length '-1' is not a number")]
    public void TryParse_Malformed_ExplainsWhy(string text, string expected)
    {
        Assert.False(IpCidr.TryParse(text, out _, out string? error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_ZoneId_IsRefused() => Assert.False(IpCidr.TryParse("fe80::%eth0/64", out _, out _));

    [Theory]
    [InlineData("0.0.0.0/0", "4294967296")]
    [InlineData("10.0.0.0/8", "16777216")]
    [InlineData("10.0.0.0/24", "256")]
    [InlineData("10.0.0.0/31", "2")]
    [InlineData("10.0.0.7/32", "1")]
    [InlineData("fd00::/64", "18446744073709551616")]
    [InlineData("fd00::1/128", "1")]
    [InlineData("::/0", "340282366920938463463374607431768211455")]
    public void Size_CountsAddresses_SaturatingForTheWholeIpv6Space(string cidr, string size) =>
        Assert.Equal(UInt128.Parse(size, System.Globalization.CultureInfo.InvariantCulture), IpCidr.Parse(cidr).Size);

    [Fact]
    public void Last_IsTheBroadcastAddress()
    {
        Assert.Equal(IpAddress.Parse("10.0.0.255"), IpCidr.Parse("10.0.0.0/24").Last);
        Assert.Equal(IpAddress.Parse("255.255.255.255"), IpCidr.Parse("0.0.0.0/0").Last);
        Assert.Equal(IpAddress.Parse("fd00::ffff:ffff:ffff:ffff"), IpCidr.Parse("fd00::/64").Last);
    }

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.0", true)]
    [InlineData("10.0.0.0/24", "10.0.0.255", true)]
    [InlineData("10.0.0.0/24", "10.0.1.0", false)]
    [InlineData("10.0.0.0/24", "9.255.255.255", false)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("10.0.0.7/32", "10.0.0.7", true)]
    [InlineData("10.0.0.7/32", "10.0.0.8", false)]
    [InlineData("fd00::/64", "fd00::ffff:ffff:ffff:ffff", true)]
    [InlineData("fd00::/64", "fd00:0:0:1::", false)]
    [InlineData("::/0", "10.0.0.1", false)]
    [InlineData("0.0.0.0/0", "::1", false)]
    public void Contains_Edges(string cidr, string address, bool expected) =>
        Assert.Equal(expected, IpCidr.Parse(cidr).Contains(IpAddress.Parse(address)));

    [Theory]
    [InlineData("10.0.0.0/16", "10.0.1.0/24", true)]
    [InlineData("10.0.1.0/24", "10.0.0.0/16", true)]
    [InlineData("10.0.0.0/24", "10.0.0.0/24", true)]
    [InlineData("10.0.0.0/24", "10.0.1.0/24", false)]
    [InlineData("10.0.0.0/25", "10.0.0.128/25", false)]
    [InlineData("0.0.0.0/0", "192.168.0.0/16", true)]
    [InlineData("::/0", "10.0.0.0/8", false)]
    [InlineData("fd00::/64", "fd00::8000:0:0:0/65", true)]
    public void Overlaps_Edges(string a, string b, bool expected) =>
        Assert.Equal(expected, IpCidr.Parse(a).Overlaps(IpCidr.Parse(b)));

    [Fact]
    public void FormatInterfaceAddress_WritesAddressSlashPrefix() =>
        Assert.Equal("10.0.0.7/24", IpCidr.Parse("10.0.0.0/24").FormatInterfaceAddress(IpAddress.Parse("10.0.0.7")));

    [Theory]
    [InlineData("10.0.0.0/24")]
    [InlineData("fd00::/64")]
    [InlineData("::/0")]
    public void Parse_ThenToString_RoundTrips(string text) => Assert.Equal(text, IpCidr.Parse(text).ToString());
}
