using System.Text.Json.Nodes;

using Underpool.Testing;

namespace Underpool.Plugin.Tests;

public sealed class GcTests : AgentTest
{
    [Theory]
    [InlineData("cni.dev/valid-attachments")]
    [InlineData("cni.dev/attachments")]
    public async Task Gc_releases_the_allocations_the_runtime_no_longer_lists(string key)
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("keep")).AssertPrinted();
        (await Plugin.AddAsync("stale")).AssertPrinted();
        JsonObject config = Plugin.Config("1.1.0", v4: ["v4"]);
        config[key] = NetConf.Attachments(("keep", "eth0"));

        (await PluginRunner.RunWithoutContainerAsync("GC", config)).AssertSilentSuccess();

        Assert.Equal("keep", Assert.Single(await Agent.AllocationsAsync()).ContainerId);
    }

    [Fact]
    public async Task Gc_without_a_list_of_valid_attachments_fails_with_code_7_and_releases_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("c1")).AssertPrinted();
        (await Plugin.AddAsync("c2")).AssertPrinted();

        PluginOutcome gc = await PluginRunner.RunWithoutContainerAsync("GC", Plugin.Config("1.1.0", v4: ["v4"]));

        Assert.Equal(7, gc.ErrorCode);
        Assert.Equal(2, (await Agent.AllocationsAsync()).Count);
    }

    [Fact]
    public async Task Gc_keeps_an_attachment_listed_with_another_interface_name_only_for_that_interface()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("c1", "eth0")).AssertPrinted();
        (await Plugin.AddAsync("c1", "net1")).AssertPrinted();
        JsonObject config = Plugin.Config("1.1.0", v4: ["v4"]);
        config["cni.dev/valid-attachments"] = NetConf.Attachments(("c1", "net1"));

        (await PluginRunner.RunWithoutContainerAsync("GC", config)).AssertSilentSuccess();

        Assert.Equal("net1", Assert.Single(await Agent.AllocationsAsync()).IfName);
    }

    [Fact]
    public async Task Gc_of_one_network_leaves_the_allocations_of_other_networks_alone()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("c1")).AssertPrinted();
        (await new PluginRunner(Agent.Socket, "other-net").AddAsync("c2")).AssertPrinted();
        JsonObject config = Plugin.Config("1.1.0", v4: ["v4"]);
        config["cni.dev/valid-attachments"] = NetConf.Attachments();

        (await PluginRunner.RunWithoutContainerAsync("GC", config)).AssertSilentSuccess();

        Assert.Equal("other-net", Assert.Single(await Agent.AllocationsAsync()).Network);
    }
}
