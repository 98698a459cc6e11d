using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

using Underpool.Testing;

namespace Underpool.Plugin.Tests;

public sealed class AddErrorTests : AgentTest
{
    [Fact]
    public async Task Add_naming_an_unknown_pool_fails_with_code_7_naming_the_pool()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        PluginOutcome add = await Plugin.AddAsync(v4: ["nosuchpool"]);

        Assert.Equal(7, add.ErrorCode);
        Assert.Contains("nosuchpool", add.Msg, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Add_naming_a_pool_of_the_other_family_fails_with_code_7()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V6());

        PluginOutcome add = await Plugin.AddAsync(v4: ["v6"]);

        Assert.Equal(7, add.ErrorCode);
        Assert.Contains("v6", add.Msg, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Add_from_an_exhausted_pool_fails_with_code_100_naming_the_pool()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10"]));
        (await Plugin.AddAsync("c1")).AssertPrinted();

        PluginOutcome add = await Plugin.AddAsync("c2");

        Assert.Equal(100, add.ErrorCode);
        Assert.Contains("'v4'", add.Msg, StringComparison.Ordinal);
        Assert.Single(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Add_with_an_ip_requested_in_cni_args_gets_exactly_that_address()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        PluginOutcome add = await Plugin.AddAsync(args: "IgnoreUnknown=1;IP=172.20.1.50");

        Assert.Equal("172.20.1.50/24", add.AssertPrinted().GetProperty("ips")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task Add_with_an_ip_requested_in_runtime_config_gets_exactly_that_address()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        JsonObject config = Plugin.Config(v4: ["v4"]);
        config["runtimeConfig"] = new JsonObject { ["ips"] = new JsonArray("172.20.1.50/24") };

        PluginOutcome add = await PluginRunner.RunAsync("ADD", config);

        Assert.Equal("172.20.1.50/24", add.AssertPrinted().GetProperty("ips")[0].GetProperty("address").GetString());
    }

    [Theory]
    [InlineData("IP=10.9.9.9", "is not one that the pools")]
    [InlineData("IP=172.20.1.1", "the gateway or reserved")]
    [InlineData("IP=fd00::9", "this network uses no IPv6 pool")]
    public async Task Add_requesting_an_address_the_pools_cannot_give_fails_with_code_104_and_allocates_nothing(string args, string expected)
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        PluginOutcome add = await Plugin.AddAsync(args: "IgnoreUnknown=1;" + args);

        Assert.Equal(104, add.ErrorCode);
        Assert.Contains(expected, add.Msg, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Add_requesting_an_address_another_container_holds_fails_with_code_104_and_keeps_the_holder()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        (await Plugin.AddAsync("c1", args: "IP=172.20.1.50")).AssertPrinted();

        PluginOutcome add = await Plugin.AddAsync("c2", args: "IP=172.20.1.50");

        Assert.Equal(104, add.ErrorCode);
        Assert.Contains("allocated to another endpoint", add.Msg, StringComparison.Ordinal);
        Assert.Equal("c1", Assert.Single(await Agent.AllocationsAsync()).ContainerId);
    }

    [Fact]
    public async Task Add_requesting_two_addresses_of_one_family_fails_with_code_7()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        PluginOutcome add = await Plugin.AddAsync(args: "IP=172.20.1.50,172.20.1.51");

        Assert.Equal(7, add.ErrorCode);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Theory]
    [InlineData("IP=172.20.1.50/33", null, "invalid prefix length '33'")]
    [InlineData("IP=172.20.1.50/", null, "invalid prefix length ''")]
    [InlineData("IP=fd00:20:1::50/129", null, "invalid prefix length '129'")]
    [InlineData(null, "1.1.1.1/abc", "invalid prefix length 'abc'")]
    [InlineData(null, "172.20.1.50/16", "has prefix /16, but it comes from pool 'v4' (172.20.1.0/24)")]
    [InlineData("IP=172.20.1.50/25", null, "has prefix /25, but it comes from pool 'v4' (172.20.1.0/24)")]
    public async Task Add_requesting_an_address_with_an_invalid_or_foreign_prefix_fails_with_code_7_and_allocates_nothing(
        string? args, string? capability, string expected)
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        await Agent.CreatePoolAsync(PoolDefinitions.V6());
        JsonObject config = Plugin.Config(v4: ["v4"], v6: ["v6"]);
        if (capability is not null)
        {
            config["runtimeConfig"] = new JsonObject { ["ips"] = new JsonArray(capability) };
        }

        PluginOutcome add = await PluginRunner.RunAsync("ADD", config, args: args);

        Assert.Equal(7, add.ErrorCode);
        Assert.Contains(expected, add.Msg, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Add_requesting_an_address_with_the_pools_own_prefix_gets_it()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        PluginOutcome add = await Plugin.AddAsync(args: "IP=172.20.1.50/24");

        Assert.Equal("172.20.1.50/24", add.AssertPrinted().GetProperty("ips")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task Add_whose_request_would_be_over_the_agents_limit_fails_with_code_7_request_too_large_and_allocates_nothing()
    {
        // A runtime (or a person) put far more in the config than an ADD needs; the agent reads at most 1 MiB.
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        JsonObject config = Plugin.Config(v4: ["v4"]);
        config["runtimeConfig"] = new JsonObject
        {
            ["ips"] = new JsonArray(Enumerable.Range(0, 120_000).Select(i => (JsonNode?)JsonValue.Create($"172.20.1.{i % 250}")).ToArray()),
        };

        PluginOutcome add = await PluginRunner.RunAsync("ADD", config);

        Assert.Equal(7, add.ErrorCode);
        Assert.StartsWith("request too large", add.Msg, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Add_without_cni_containerid_fails_with_code_4_and_allocates_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        PluginOutcome add = await PluginRunner.RunAsync("ADD", Plugin.Config(v4: ["v4"]), containerId: null);

        Assert.Equal(4, add.ErrorCode);
        Assert.Contains("CNI_CONTAINERID", add.Msg, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Add_with_malformed_json_fails_with_code_6_and_allocates_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        byte[] broken = Encoding.UTF8.GetBytes("{\"cniVersion\": \"1.0.0\", \"name\": \"underlay\", \"ipam\": {");

        PluginOutcome add = await PluginRunner.RunRawAsync(PluginRunner.Environment("ADD"), broken);

        Assert.Equal(6, add.ErrorCode);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Add_with_an_unsupported_cni_version_fails_with_code_1_and_allocates_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        PluginOutcome add = await Plugin.AddAsync(cniVersion: "9.9.9");

        Assert.Equal(1, add.ErrorCode);
        Assert.Contains("9.9.9", add.Msg, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
    }
}

/// <summary>The plugin with no agent behind its socket.</summary>
public sealed class AgentUnreachableTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Add_with_no_agent_on_the_socket_fails_with_code_11_naming_the_socket_and_underpoold(bool staleSocketFile)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"upl-none-{Guid.NewGuid():N}.sock");
        try
        {
            if (staleSocketFile)
            {
                // A socket file left by an agent that died: connecting is refused rather than not found.
                using var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                dead.Bind(new UnixDomainSocketEndPoint(socket));
            }

            PluginOutcome add = await new PluginRunner(socket).AddAsync();

            Assert.Equal(11, add.ErrorCode);
            Assert.Contains(socket, add.Msg, StringComparison.Ordinal);
            Assert.Contains("underpoold", add.Msg, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(socket);
        }
    }
}
