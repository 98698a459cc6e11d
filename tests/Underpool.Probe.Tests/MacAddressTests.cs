using CsCheck;
using Underpool.Probe.Wire;

namespace Underpool.Probe.Tests;

public sealed class MacAddressTests
{
    [Fact]
    public void Text_round_trips_for_any_mac() =>
        Gen.ULong[0, 0xFFFF_FFFF_FFFF].Sample(v => MacAddress.TryParse(new MacAddress(v).ToString(), out MacAddress back) && back.Value == v);

    [Theory]
    [InlineData("")]
    [InlineData("02:42:ac:14:01")]
    [InlineData("02:42:ac:14:01:3g")]
    [InlineData("0242ac14013c")]
    public void Malformed_text_is_refused(string text) => Assert.False(MacAddress.TryParse(text, out _));
}
