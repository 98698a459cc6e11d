using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Underpool.Testing;
using Xunit.Abstractions;

namespace Underpool.Lab.Tests;

/// <summary>What happens while an agent is down: a runtime removes containers (their DEL fails), and the agent finds
/// the leaks once it is back; on etcd, a node whose agent stays down has its pods' addresses reclaimed by another.</summary>
public sealed class AgentDowntimeLabTests(ITestOutputHelper output)
{
    private const string Subnet = "172.20.1.0/24";

    [Fact]
    public async Task Podman_containers_removed_while_the_agent_is_stopped_get_their_addresses_back_after_it_restarts()
    {
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(1, Subnet, "--gc-interval", "1", "--gc-grace", "0.5");
        Assert.True((await lab.CtlAsync(0, "pool create lab --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.50".Split(' '))).Succeeded);
        await using PodmanOnNode podman = PodmanOnNode.Create(lab.Network.Nodes[0], lab.Agents[0].Socket, ["lab"], isStatic: false);
        await podman.RunAsync("web1");
        await podman.RunAsync("web2");
        await podman.RunAsync("keeper");
        Assert.Equal(3, (await lab.CtlJsonAsync(0, "ip", "list")).GetArrayLength());

        await lab.StopAgentAsync(0);
        await podman.RemoveAsync("web1");
        await podman.RemoveAsync("web2");
        await lab.RestartAgentAsync(0);
        var restarted = Stopwatch.StartNew();
        await Condition.WaitUntilAsync(
            async _ => (await lab.CtlJsonAsync(0, "ip", "list")).GetArrayLength() == 1,
            TimeSpan.FromSeconds(15),
            "the sweep to release the removed containers' addresses");

        output.WriteLine($"agent restart -> removed containers' addresses released: {restarted.Elapsed.TotalMilliseconds:F0} ms (--gc-interval 1 s)");
        JsonElement left = (await lab.CtlJsonAsync(0, "ip", "list"))[0];
        Assert.Equal($"{left.GetProperty("address").GetString()}/24", await podman.AddressOfAsync("keeper"));
    }

    [Fact]
    public async Task On_etcd_a_node_whose_agent_stays_stopped_past_dead_after_has_its_pods_addresses_reclaimed_by_another_node()
    {
        await using LabStore store = await LabStore.StartAsync("etcd");
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(
            2, Subnet, [.. store.AgentArgs, "--node-ttl", "3", "--node-dead-after", "2"]);
        Assert.True((await lab.CtlAsync(0, "pool create lab --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.50".Split(' '))).Succeeded);
        NetworkNamespace pod = await lab.Network.AddPodNamespaceAsync("p2");
        CniInvocation add = await lab.Cni.InvokeAsync(CniRequest.Add(lab.Network.Nodes[1].Namespace, pod, "on-node2", "eth0", lab.MacvlanConfig(1, ["lab"])));
        Assert.True(add.Succeeded, add.Describe() + lab.Logs());

        await lab.StopAgentAsync(1);
        var stopped = Stopwatch.StartNew();
        await Condition.WaitUntilAsync(
            async _ => (await lab.CtlJsonAsync(0, "ip", "list")).GetArrayLength() == 0,
            TimeSpan.FromSeconds(30),
            "node1's agent to reclaim node2's pod address");

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"node2 agent stopped -> its pod's address reclaimed by node1: {stopped.Elapsed.TotalSeconds:F1} s (--node-ttl 3, --node-dead-after 2)"));
        JsonElement nodes = await lab.CtlJsonAsync(0, "node", "list");
        Assert.False(nodes.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString()!.EndsWith("node2", StringComparison.Ordinal)).GetProperty("alive").GetBoolean());
        await lab.RestartAgentAsync(1);
    }
}
