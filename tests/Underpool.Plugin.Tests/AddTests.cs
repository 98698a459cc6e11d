using System.Text.Json;
using Underpool.Api.Contracts;

using Underpool.Testing;

namespace Underpool.Plugin.Tests;

public sealed class AddTests : AgentTest
{
    [Theory]
    [InlineData("0.3.0", true)]
    [InlineData("0.3.1", true)]
    [InlineData("0.4.0", true)]
    [InlineData("1.0.0", false)]
    [InlineData("1.1.0", false)]
    public async Task Add_prints_the_abbreviated_ipam_result_in_the_configs_cniVersion(string cniVersion, bool withIpVersion)
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        JsonElement result = (await Plugin.AddAsync(cniVersion: cniVersion)).AssertPrinted();

        Assert.Equal(cniVersion, result.GetProperty("cniVersion").GetString());
        Assert.False(result.TryGetProperty("interfaces", out _), "an IPAM plugin prints no interfaces");
        JsonElement ip = Assert.Single(result.GetProperty("ips").EnumerateArray());
        Assert.Equal("172.20.1.2/24", ip.GetProperty("address").GetString());
        Assert.Equal("172.20.1.1", ip.GetProperty("gateway").GetString());
        Assert.False(ip.TryGetProperty("interface", out _), "an IPAM plugin prints no ips[].interface");
        if (withIpVersion)
        {
            Assert.Equal("4", ip.GetProperty("version").GetString());
        }
        else
        {
            Assert.False(ip.TryGetProperty("version", out _), $"cniVersion {cniVersion} has no ips[].version");
        }

        Assert.Collection(
            result.GetProperty("routes").EnumerateArray(),
            r =>
            {
                Assert.Equal("0.0.0.0/0", r.GetProperty("dst").GetString());
                Assert.Equal("172.20.1.1", r.GetProperty("gw").GetString());
            },
            r =>
            {
                Assert.Equal("10.99.0.0/16", r.GetProperty("dst").GetString());
                Assert.Equal("172.20.1.254", r.GetProperty("gw").GetString());
            });
    }

    [Fact]
    public async Task Dual_stack_add_prints_one_address_per_family()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        await Agent.CreatePoolAsync(PoolDefinitions.V6());

        JsonElement result = (await Plugin.AddAsync(v4: ["v4"], v6: ["v6"], cniVersion: "0.4.0")).AssertPrinted();

        Assert.Collection(
            result.GetProperty("ips").EnumerateArray(),
            v4 =>
            {
                Assert.Equal("4", v4.GetProperty("version").GetString());
                Assert.Equal("172.20.1.2/24", v4.GetProperty("address").GetString());
                Assert.Equal("172.20.1.1", v4.GetProperty("gateway").GetString());
            },
            v6 =>
            {
                Assert.Equal("6", v6.GetProperty("version").GetString());
                Assert.Equal("fd00:20:1::2/64", v6.GetProperty("address").GetString());
                Assert.Equal("fd00:20:1::1", v6.GetProperty("gateway").GetString());
            });
    }

    [Fact]
    public async Task Dual_stack_add_with_the_ipv6_pool_exhausted_fails_with_code_100_and_keeps_no_ipv4_address()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        await Agent.CreatePoolAsync(PoolDefinitions.V6(ranges: ["fd00:20:1::10"]));
        (await Plugin.AddAsync("holder", v4: [], v6: ["v6"])).AssertPrinted();

        PluginOutcome add = await Plugin.AddAsync("c1", v4: ["v4"], v6: ["v6"]);

        Assert.Equal(100, add.ErrorCode);
        Assert.Contains("'v6'", add.Msg, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync("v4"));
    }

    [Fact]
    public async Task Add_repeated_for_the_same_container_and_interface_returns_the_same_address()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        JsonElement first = (await Plugin.AddAsync("c1", "eth0")).AssertPrinted();
        JsonElement again = (await Plugin.AddAsync("c1", "eth0")).AssertPrinted();

        Assert.Equal(Address(first), Address(again));
        Assert.Single(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task A_second_interface_of_the_same_container_gets_another_address()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        JsonElement eth0 = (await Plugin.AddAsync("c1", "eth0")).AssertPrinted();
        JsonElement net1 = (await Plugin.AddAsync("c1", "net1")).AssertPrinted();

        Assert.NotEqual(Address(eth0), Address(net1));
        Assert.Equal(["eth0", "net1"], (await Agent.AllocationsAsync()).Select(a => a.IfName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Kubernetes_pod_identity_from_cni_args_is_recorded_with_the_allocation()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        (await Plugin.AddAsync(
            "c1",
            args: "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=c1;K8S_POD_UID=6f1c-uid")).AssertPrinted();

        AllocationView allocation = Assert.Single(await Agent.AllocationsAsync());
        Assert.Equal("shop", allocation.PodNamespace);
        Assert.Equal("web-0", allocation.PodName);
        Assert.Equal("6f1c-uid", allocation.PodUid);
    }

    [Fact]
    public async Task Add_records_the_network_container_interface_and_netns()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        (await Plugin.AddAsync("c1", "net1")).AssertPrinted();

        AllocationView allocation = Assert.Single(await Agent.AllocationsAsync());
        Assert.Equal(NetConf.DefaultNetwork, allocation.Network);
        Assert.Equal("c1", allocation.ContainerId);
        Assert.Equal("net1", allocation.IfName);
        Assert.Equal("/var/run/netns/c1", allocation.NetNs);
    }

    private static string? Address(JsonElement result) => result.GetProperty("ips")[0].GetProperty("address").GetString();
}
