using System.Net;
using System.Text.Json;

namespace Underpool.Lab.Tests;

/// <summary>The product as a runtime uses it: real macvlan on a veth uplink, our AOT plugin as its IPAM, one real
/// agent per node, addresses checked inside the pod namespaces with ip.</summary>
public sealed class UnderpoolEndToEndTests
{
    private const string Subnet = "172.20.1.0/24";

    [Fact]
    public async Task Two_nodes_on_one_subnet_get_different_addresses_from_one_pool_and_reach_each_other()
    {
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(2, Subnet);
        ProcessResult create = await lab.CtlAsync(0, "pool create lab --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.20 --gateway 172.20.1.1".Split(' '));
        Assert.True(create.Succeeded, create.Describe());

        var pods = new List<NetworkNamespace>();
        var adds = new List<CniRequest>();
        for (int node = 0; node < 2; node++)
        {
            NetworkNamespace pod = await lab.Network.AddPodNamespaceAsync($"pod{node + 1}");
            CniRequest add = CniRequest.Add(lab.Network.Nodes[node].Namespace, pod, $"container-{node + 1}", "eth0", lab.MacvlanConfig(node, ["lab"]));
            CniInvocation result = await lab.Cni.InvokeAsync(add);
            Assert.True(result.Succeeded, result.Describe() + lab.Logs());
            pods.Add(pod);
            adds.Add(add with { PrevResult = result.Result });
        }

        IReadOnlyList<InterfaceAddress> first = await PodAddress.ReadAsync(pods[0], "eth0");
        IReadOnlyList<InterfaceAddress> second = await PodAddress.ReadAsync(pods[1], "eth0");

        // host-local gives both pods 172.20.1.10 here (HostLocalSmokeTests); Underpool gives each its own.
        Assert.Equal([InterfaceAddress.Parse("172.20.1.10/24")], first);
        Assert.Equal([InterfaceAddress.Parse("172.20.1.11/24")], second);
        ProcessResult ping = await lab.Network.RunInNamespaceAsync(pods[0], "ping", ["-c", "1", "-W", "2", "172.20.1.11"]);
        Assert.True(ping.Succeeded, ping.Describe());

        JsonElement held = await lab.CtlJsonAsync(1, "ip", "list", "--pool", "lab");
        Assert.Equal(
            [("172.20.1.10", "upl-node1"), ("172.20.1.11", "upl-node2")],
            held.EnumerateArray().Select(a => (a.GetProperty("address").GetString(), NodeSuffix(a.GetProperty("node").GetString()))).ToArray());

        foreach (CniRequest add in adds)
        {
            CniInvocation del = await lab.Cni.InvokeAsync(add with { Command = CniVerb.Del });
            Assert.True(del.Succeeded, del.Describe());
        }

        Assert.Empty((await lab.CtlJsonAsync(0, "ip", "list")).EnumerateArray());
    }

    [Fact]
    public async Task An_exhausted_pool_fails_the_add_with_a_clear_cni_error_and_the_runtimes_cleanup_del_succeeds()
    {
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(1, Subnet);
        Assert.True((await lab.CtlAsync(0, "pool create tiny --subnet 172.20.1.0/24 --ranges 172.20.1.30".Split(' '))).Succeeded);
        NetworkNamespace pod1 = await lab.Network.AddPodNamespaceAsync("pod1");
        NetworkNamespace pod2 = await lab.Network.AddPodNamespaceAsync("pod2");
        LabNode node = lab.Network.Nodes[0];
        Assert.True((await lab.Cni.InvokeAsync(CniRequest.Add(node.Namespace, pod1, "c1", "eth0", lab.MacvlanConfig(0, ["tiny"])))).Succeeded);

        CniInvocation second = await lab.Cni.InvokeAsync(CniRequest.Add(node.Namespace, pod2, "c2", "eth0", lab.MacvlanConfig(0, ["tiny"])));

        Assert.False(second.Succeeded);
        Assert.Equal(100, second.Error?.Code);
        Assert.Contains("pool 'tiny'", second.Error?.Message, StringComparison.Ordinal);
        Assert.Contains("size 1", second.Error?.Message, StringComparison.Ordinal);
        Assert.Single((await lab.CtlJsonAsync(0, "ip", "list")).EnumerateArray());

        // macvlan 1.1.1 leaves its link behind when IPAM fails; the runtime's DEL after a failed ADD removes it,
        // and must succeed although Underpool holds nothing for c2.
        CniInvocation cleanup = await lab.Cni.InvokeAsync(
            CniRequest.Add(node.Namespace, pod2, "c2", "eth0", lab.MacvlanConfig(0, ["tiny"])) with { Command = CniVerb.Del });
        Assert.True(cleanup.Succeeded, cleanup.Describe());
        ProcessResult links = await ProcessRunner.RunAsync("ip", ["-j", "-n", pod2.Name, "link", "show"]);
        Assert.DoesNotContain("\"eth0\"", links.StandardOutput, StringComparison.Ordinal);
        Assert.Single((await lab.CtlJsonAsync(0, "ip", "list")).EnumerateArray());
    }

    [Fact]
    public async Task A_dual_stack_pod_gets_an_ipv4_and_an_ipv6_address()
    {
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(1, Subnet);
        Assert.True((await lab.CtlAsync(0, "pool create v4 --subnet 172.20.1.0/24 --ranges 172.20.1.40-172.20.1.49".Split(' '))).Succeeded);
        Assert.True((await lab.CtlAsync(0, "pool create v6 --subnet fd00:20:1::/64".Split(' '))).Succeeded);
        NetworkNamespace pod = await lab.Network.AddPodNamespaceAsync("pod1");

        CniInvocation add = await lab.Cni.InvokeAsync(
            CniRequest.Add(lab.Network.Nodes[0].Namespace, pod, "c1", "eth0", lab.MacvlanConfig(0, ["v4"], ["v6"])));

        Assert.True(add.Succeeded, add.Describe() + lab.Logs());
        IReadOnlyList<InterfaceAddress> addresses = await PodAddress.ReadAsync(pod, "eth0");
        Assert.Contains(InterfaceAddress.Parse("172.20.1.40/24"), addresses);
        Assert.Contains(new InterfaceAddress(IPAddress.Parse("fd00:20:1::1"), 64), addresses);
    }

    // Node names carry the lab's random prefix; compare the stable part.
    private static string NodeSuffix(string? node)
    {
        Assert.NotNull(node);
        return "upl-" + node[(node.LastIndexOf('-') + 1)..];
    }
}
