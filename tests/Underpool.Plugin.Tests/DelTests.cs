using System.Text.Json.Nodes;

using Underpool.Testing;

namespace Underpool.Plugin.Tests;

public sealed class DelTests : AgentTest
{
    [Fact]
    public async Task Del_releases_the_containers_address_and_prints_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("c1")).AssertPrinted();

        (await Plugin.DelAsync("c1")).AssertSilentSuccess();

        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Del_with_the_adds_result_as_prev_result_releases_the_address()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        PluginOutcome add = await Plugin.AddAsync("c1");
        JsonObject config = Plugin.Config(v4: ["v4"]);
        config["prevResult"] = JsonNode.Parse(add.Stdout);

        (await PluginRunner.RunAsync("DEL", config, "c1")).AssertSilentSuccess();

        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Del_of_an_unknown_container_exits_0_and_prints_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        (await Plugin.DelAsync("never-added")).AssertSilentSuccess();
    }

    [Fact]
    public async Task Del_releases_only_the_named_interface()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("c1", "eth0")).AssertPrinted();
        (await Plugin.AddAsync("c1", "net1")).AssertPrinted();

        (await Plugin.DelAsync("c1", "net1")).AssertSilentSuccess();

        Assert.Equal("eth0", Assert.Single(await Agent.AllocationsAsync()).IfName);
    }

    [Fact]
    public async Task Del_without_cni_netns_still_releases_the_address()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("c1")).AssertPrinted();

        (await Plugin.DelAsync("c1", withNetNs: false)).AssertSilentSuccess();

        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Del_run_twice_succeeds_both_times()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("c1")).AssertPrinted();

        (await Plugin.DelAsync("c1")).AssertSilentSuccess();
        (await Plugin.DelAsync("c1")).AssertSilentSuccess();
    }
}
