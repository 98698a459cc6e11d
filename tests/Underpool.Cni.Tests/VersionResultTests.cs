using System.Text.Json;

namespace Underpool.Cni.Tests;

public sealed class VersionResultTests
{
    [Theory]
    [InlineData("0.3.1")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void ForRequest_answers_in_the_asked_version_when_supported(string version)
    {
        VersionResult result = VersionResult.ForRequest(TestJson.Utf8($$"""{"cniVersion":"{{version}}"}"""));

        Assert.Equal(version, result.CniVersion);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.3.0"}""")]
    [InlineData("")]
    [InlineData("not json")]
    public void ForRequest_answers_in_the_latest_version_otherwise(string stdin)
    {
        // libcni probes in its own newest version; refusing would hide the list the runtime is asking for.
        Assert.Equal(CniVersion.Latest, VersionResult.ForRequest(TestJson.Utf8(stdin)).CniVersion);
    }

    [Fact]
    public void Serialize_prints_cniVersion_and_every_supported_version()
    {
        JsonElement json = TestJson.Parse(VersionResult.ForRequest(TestJson.Utf8("""{"cniVersion":"1.0.0"}""")).Serialize());

        Assert.Equal("1.0.0", json.GetProperty("cniVersion").GetString());
        Assert.Equal(
            ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
            json.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString() ?? "").ToArray());
    }
}
