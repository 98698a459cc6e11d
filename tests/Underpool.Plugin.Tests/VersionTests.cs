using System.Text.Json;
using System.Text.Json.Nodes;

namespace Underpool.Plugin.Tests;

public sealed class VersionTests
{
    [Fact]
    public async Task Version_lists_the_five_supported_versions_in_the_requested_version()
    {
        PluginOutcome version = await PluginRunner.RunWithoutContainerAsync("VERSION", new JsonObject { ["cniVersion"] = "0.4.0" });

        JsonElement result = version.AssertPrinted();
        Assert.Equal("0.4.0", result.GetProperty("cniVersion").GetString());
        Assert.Equal(
            ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
            result.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }
}
