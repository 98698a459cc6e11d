using Underpool.Testing;

namespace Underpool.Lab.Tests;

/// <summary>Answers from our own pods and nodes, for real: a pod whose MAC CHECK recorded and a node's uplink each hold
/// a pool address the store shows free. Another node's agent probing those addresses hears them, knows the MACs as
/// ours, and skips the addresses without quarantining them.</summary>
public sealed class ConflictOwnersLabTests
{
    private const string Subnet = "172.20.0.0/16";

    [Fact]
    public async Task Addresses_our_own_pod_and_node_answer_for_are_skipped_never_quarantined()
    {
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(2, Subnet);
        Assert.True((await lab.CtlAsync(0, "pool create lab --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.20".Split(' '))).Succeeded);
        NetworkNamespace node1 = lab.Network.Nodes[0].Namespace;
        NetworkNamespace node2 = lab.Network.Nodes[1].Namespace;

        // A pod on node2: its ADD is node2's first probe (its agent learns and records its uplink MAC), its CHECK
        // reports the pod interface's MAC.
        NetworkNamespace podA = await lab.Network.AddPodNamespaceAsync("poda");
        CniRequest addA = CniRequest.Add(node2, podA, "pod-a", "eth0", lab.MacvlanConfig(1, ["lab"]));
        CniInvocation a = await lab.Cni.InvokeAsync(addA);
        Assert.True(a.Succeeded, a.Describe() + lab.Logs());
        CniInvocation check = await lab.Cni.InvokeAsync(addA with { Command = CniVerb.Check, PrevResult = a.Result });
        Assert.True(check.Succeeded, check.Describe() + lab.Logs());
        Assert.Equal("172.20.1.10/24", a.Addresses.Single().ToString());
        await Condition.WaitUntilAsync(
            async _ => (await lab.CtlJsonAsync(0, "node", "list")).GetProperty("nodes").EnumerateArray()
                .Any(n => n.GetProperty("name").GetString() == node2.Name && n.GetProperty("uplinkMacs").GetArrayLength() == 1),
            TimeSpan.FromSeconds(20),
            "node2's record to list its uplink MAC");

        // Then the pod holds .11 besides its own address, and node2 itself holds .12: both free in the store.
        await IpRoute2.RunAsync(["-n", podA.Name, "addr", "add", "172.20.1.11/24", "dev", "eth0", "nodad"], default);
        await IpRoute2.RunAsync(["-n", node2.Name, "addr", "add", "172.20.1.12/16", "dev", LabNode.Uplink, "nodad"], default);

        NetworkNamespace podB = await lab.Network.AddPodNamespaceAsync("podb");
        CniInvocation b = await lab.Cni.InvokeAsync(CniRequest.Add(node1, podB, "pod-b", "eth0", lab.MacvlanConfig(0, ["lab"])));

        Assert.True(b.Succeeded, b.Describe() + lab.Logs());
        Assert.Equal("172.20.1.13/24", b.Addresses.Single().ToString());
        Assert.Equal(0, (await lab.CtlJsonAsync(0, "conflict", "list")).GetProperty("conflicts").GetArrayLength());
        string metrics = AgentMetricsText.Read(lab.Agents[0].Socket);
        Assert.Equal(
            (1, 1, 0),
            ((int)AgentMetricsText.Sum(metrics, "underpool_probe_settled_total", "reason=\"pod\""),
             (int)AgentMetricsText.Sum(metrics, "underpool_probe_settled_total", "reason=\"node\""),
             (int)AgentMetricsText.Sum(metrics, "underpool_conflicts_total")));
        Assert.Contains($"node {node2.Name}'s uplink", lab.Agents[0].Log(), StringComparison.Ordinal);
    }
}
