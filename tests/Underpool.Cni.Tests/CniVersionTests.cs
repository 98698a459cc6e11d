namespace Underpool.Cni.Tests;

public sealed class CniVersionTests
{
    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void Supported_versions_are_recognised(string version) => Assert.True(CniVersion.IsSupported(version));

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("0.2.0")]
    [InlineData("1.2.0")]
    [InlineData("1.0")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_versions_are_not_supported(string? version) => Assert.False(CniVersion.IsSupported(version));

    [Theory]
    [InlineData("0.3.0", true)]
    [InlineData("0.3.1", true)]
    [InlineData("0.4.0", true)]
    [InlineData("1.0.0", false)]
    [InlineData("1.1.0", false)]
    public void UsesIpVersionField_is_true_before_1_0_0(string version, bool expected) =>
        Assert.Equal(expected, CniVersion.UsesIpVersionField(version));

    [Theory]
    [InlineData("0.4.0", false)]
    [InlineData("1.0.0", false)]
    [InlineData("1.1.0", true)]
    public void HasGcAndStatus_is_true_from_1_1_0(string version, bool expected) =>
        Assert.Equal(expected, CniVersion.HasGcAndStatus(version));

    [Theory]
    [InlineData("0.3.1", false)]
    [InlineData("0.4.0", true)]
    [InlineData("1.1.0", true)]
    public void HasPrevResultOnDelCheck_is_true_from_0_4_0(string version, bool expected) =>
        Assert.Equal(expected, CniVersion.HasPrevResultOnDelCheck(version));

    [Fact]
    public void Latest_is_the_newest_supported_version() => Assert.Equal(CniVersion.Latest, CniVersion.Supported[^1]);
}
