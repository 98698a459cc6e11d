using System.Text.Json.Nodes;

using Underpool.Testing;

namespace Underpool.Plugin.Tests;

public sealed class CheckTests : AgentTest
{
    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Check_with_the_adds_result_as_prev_result_exits_0_and_prints_nothing(string cniVersion)
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        PluginOutcome add = await Plugin.AddAsync("c1", cniVersion: cniVersion);
        add.AssertPrinted();

        (await CheckAsync("c1", cniVersion, JsonNode.Parse(add.Stdout))).AssertSilentSuccess();
    }

    [Fact]
    public async Task Check_after_del_fails_with_code_3()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        PluginOutcome add = await Plugin.AddAsync("c1");
        (await Plugin.DelAsync("c1")).AssertSilentSuccess();

        PluginOutcome check = await CheckAsync("c1", "1.0.0", JsonNode.Parse(add.Stdout));

        Assert.Equal(3, check.ErrorCode);
    }

    [Fact]
    public async Task Check_with_a_prev_result_holding_another_address_fails_with_code_103()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("c1")).AssertPrinted();
        var other = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["ips"] = new JsonArray(new JsonObject { ["address"] = "172.20.1.77/24", ["gateway"] = "172.20.1.1" }),
        };

        PluginOutcome check = await CheckAsync("c1", "1.0.0", other);

        Assert.Equal(103, check.ErrorCode);
        Assert.Contains("172.20.1.77/24", check.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_with_a_prev_result_missing_an_address_the_agent_holds_fails_with_code_103()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        await Agent.CreatePoolAsync(PoolDefinitions.V6());
        PluginOutcome add = await Plugin.AddAsync("c1", v4: ["v4"], v6: ["v6"]);
        add.AssertPrinted();
        JsonNode prev = JsonNode.Parse(add.Stdout)!;
        prev["ips"]!.AsArray().RemoveAt(1); // The runtime only knows the IPv4 address; the agent holds both.

        PluginOutcome check = await CheckAsync("c1", "1.0.0", prev);

        Assert.Equal(103, check.ErrorCode);
        Assert.Contains("fd00:20:1::", check.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_with_the_main_plugins_full_result_records_the_container_interfaces_mac()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        PluginOutcome add = await Plugin.AddAsync("c1");
        add.AssertPrinted();
        JsonNode prev = JsonNode.Parse(add.Stdout)!;
        prev["interfaces"] = new JsonArray(
            new JsonObject { ["name"] = "eth0", ["mac"] = "02:00:00:00:00:01" },
            new JsonObject { ["name"] = "eth0", ["mac"] = "0A:58:0A:14:01:64", ["sandbox"] = "/var/run/netns/c1" });

        (await CheckAsync("c1", "1.0.0", prev)).AssertSilentSuccess();

        await using var store = new Underpool.Store.Embedded.SqliteIpamStore(Agent.DataDir);
        await store.InitializeAsync(CancellationToken.None);
        Underpool.Store.AllocationRecord held = Assert.Single(await store.ListAllocationsAsync(Underpool.Store.AllocationFilter.All, CancellationToken.None));
        Assert.Equal("0a:58:0a:14:01:64", held.Mac);
    }

    [Fact]
    public async Task Check_with_cni_version_0_3_1_fails_with_code_1()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        PluginOutcome add = await Plugin.AddAsync("c1", cniVersion: "0.3.1");

        PluginOutcome check = await CheckAsync("c1", "0.3.1", JsonNode.Parse(add.Stdout));

        Assert.Equal(1, check.ErrorCode);
    }

    private Task<PluginOutcome> CheckAsync(string containerId, string cniVersion, JsonNode? prevResult)
    {
        JsonObject config = Plugin.Config(cniVersion, v4: ["v4"]);
        config["prevResult"] = prevResult;
        return PluginRunner.RunAsync("CHECK", config, containerId);
    }
}
