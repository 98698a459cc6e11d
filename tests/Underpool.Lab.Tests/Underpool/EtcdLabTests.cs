using System.Text.Json;

namespace Underpool.Lab.Tests;

/// <summary>The lab in multi-node mode on etcd: one agent per node in the root namespace (each on its own socket,
/// all on one real etcd on 127.0.0.1), the plugin run by real macvlan inside each node's namespace.</summary>
public sealed class EtcdLabTests
{
    private const string Subnet = "172.20.1.0/24";

    [Fact]
    public async Task Three_nodes_on_etcd_get_distinct_addresses_from_one_pool_reach_each_other_and_are_listed_alive()
    {
        await using LabStore store = await LabStore.StartAsync("etcd");
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(3, Subnet, store.AgentArgs);
        ProcessResult create = await lab.CtlAsync(0, "pool create lab --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.40".Split(' '));
        Assert.True(create.Succeeded, create.Describe());

        var pods = new List<NetworkNamespace>();
        var adds = new List<CniRequest>();
        for (int node = 0; node < 3; node++)
        {
            for (int i = 0; i < 2; i++)
            {
                NetworkNamespace pod = await lab.Network.AddPodNamespaceAsync($"n{node + 1}p{i}");
                CniRequest add = CniRequest.Add(lab.Network.Nodes[node].Namespace, pod, $"c-{node}-{i}", "eth0", lab.MacvlanConfig(node, ["lab"]));
                CniInvocation result = await lab.Cni.InvokeAsync(add);
                Assert.True(result.Succeeded, result.Describe() + lab.Logs());
                pods.Add(pod);
                adds.Add(add with { PrevResult = result.Result });
            }
        }

        var addresses = new List<InterfaceAddress>();
        foreach (NetworkNamespace pod in pods)
        {
            addresses.AddRange(await PodAddress.ReadAsync(pod, "eth0"));
        }

        Assert.Equal(6, addresses.Distinct().Count());
        ProcessResult ping = await lab.Network.RunInNamespaceAsync(pods[0], "ping", ["-c", "1", "-W", "2", addresses[^1].Address.ToString()]);
        Assert.True(ping.Succeeded, ping.Describe());
        JsonElement nodes = await lab.CtlJsonAsync(2, "node", "list");
        Assert.Equal(
            [(true, 2L), (true, 2L), (true, 2L)],
            nodes.GetProperty("nodes").EnumerateArray().Select(n => (n.GetProperty("alive").GetBoolean(), n.GetProperty("allocations").GetInt64())));

        foreach (CniRequest add in adds)
        {
            CniInvocation del = await lab.Cni.InvokeAsync(add with { Command = CniVerb.Del });
            Assert.True(del.Succeeded, del.Describe());
        }

        Assert.Empty((await lab.CtlJsonAsync(1, "ip", "list")).EnumerateArray());
    }
}
