namespace Underpool.Plugin.Tests;

public sealed class StatusTests : AgentTest
{
    [Fact]
    public async Task Status_with_a_live_agent_exits_0_and_prints_nothing()
    {
        PluginOutcome status = await PluginRunner.RunWithoutContainerAsync("STATUS", Plugin.Config("1.1.0", v4: ["v4"]));

        status.AssertSilentSuccess();
    }

    [Fact]
    public async Task Status_with_no_agent_fails_with_code_50()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"upl-none-{Guid.NewGuid():N}.sock");

        PluginOutcome status = await PluginRunner.RunWithoutContainerAsync("STATUS", NetConf.Build(socket, cniVersion: "1.1.0"));

        Assert.Equal(50, status.ErrorCode);
        Assert.Contains(socket, status.Msg, StringComparison.Ordinal);
    }
}
