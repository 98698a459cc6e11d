using Underpool.Core.Net;

namespace Underpool.Core.Tests.Net;

public sealed class IpAddressTests
{
    [Theory]
    [InlineData("10.1")]
    [InlineData("10.0.1")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.01")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.")]
    [InlineData("1..2.3")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("")]
    public void TryParse_MalformedIpv4_IsRefused(string text) =>
        Assert.False(IpAddress.TryParse(text, out _));

    [Theory]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%2")]
    public void TryParse_Ipv6WithZoneId_IsRefused(string text) =>
        Assert.False(IpAddress.TryParse(text, out _));

    [Theory]
    [InlineData("[fd00::1]:80")]
    [InlineData("[fd00::1]")]
    [InlineData("[10.0.0.1]")]
    public void TryParse_BracketedAddressOrEndpoint_IsRefused(string text) =>
        Assert.False(IpAddress.TryParse(text, out _));

    [Fact]
    public void TryParse_DottedQuad_ReadsBigEndianValue()
    {
        Assert.True(IpAddress.TryParse("10.1.2.3", out IpAddress address));
        Assert.Equal(IpAddress.V4(0x0A010203), address);
        Assert.Equal(IpFamily.V4, address.Family);
    }

    [Theory]
    [InlineData("fd00:0:0:0:0:0:0:1", "fd00::1")]
    [InlineData("FD00::0001", "fd00::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("::", "::")]
    [InlineData("::ffff:ffff:ffff:ffff", "::ffff:ffff:ffff:ffff")]
    public void ToString_Ipv6_IsCompressedLowercase(string text, string expected) =>
        Assert.Equal(expected, IpAddress.Parse(text).ToString());

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("10.20.30.40")]
    [InlineData("fd00::1")]
    [InlineData("2001:db8:1:2:3:4:5:6")]
    public void Parse_ThenToString_RoundTrips(string text) =>
        Assert.Equal(text, IpAddress.Parse(text).ToString());

    [Fact]
    public void V6_HighBitsUseFull128BitArithmetic()
    {
        IpAddress a = IpAddress.Parse("fd00::ffff:ffff:ffff:ffff").Add(1);
        Assert.Equal("fd00:0:0:1::", a.ToString());
    }

    [Fact]
    public void CompareTo_SortsIpv4BeforeIpv6ThenByValue()
    {
        Assert.True(IpAddress.Parse("255.255.255.255") < IpAddress.Parse("::"));
        Assert.True(IpAddress.Parse("10.0.0.2") > IpAddress.Parse("10.0.0.1"));
    }

    [Fact]
    public void TryFormat_DestinationTooSmall_ReturnsFalse() =>
        Assert.False(IpAddress.Parse("10.20.30.40").TryFormat(new char[5], out _));

    [Fact]
    public void FromValue_Ipv4AboveThirtyTwoBits_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => IpAddress.FromValue((UInt128)uint.MaxValue + 1, IpFamily.V4));
}
