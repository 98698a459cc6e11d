namespace Underpool.Lab.Tests;

/// <summary>The lab is a real layer-2 network: macvlan pods on different nodes reach each other through the switch.</summary>
public sealed class LabWiringTests
{
    private const string Subnet = "172.20.1.0/24";

    [Fact]
    public async Task PodsOnTwoNodes_WithDistinctAddresses_PingEachOtherAcrossTheBridge()
    {
        LabPrerequisites.EnsureCniPlugin("macvlan");
        LabPrerequisites.EnsureCniPlugin("host-local");
        LabPrerequisites.EnsureProgram("ping", "iputils-ping");
        using var state = TempDirectory.Create("host-local");
        await using var lab = await LabNetwork.CreateAsync(2, Subnet);
        var cni = new CniInvoker();
        (string Start, string End)[] ranges = [("172.20.1.10", "172.20.1.20"), ("172.20.1.30", "172.20.1.40")];

        var pods = new List<(NetworkNamespace Pod, InterfaceAddress Address)>();
        for (var i = 0; i < 2; i++)
        {
            var node = lab.Nodes[i];
            var pod = await lab.AddPodNamespaceAsync($"pod{i + 1}");
            var config = ReferencePluginConfig.MacvlanWithHostLocal(
                Subnet, ranges[i].Start, ranges[i].End, state.Combine(node.Name));
            var result = await cni.InvokeAsync(CniRequest.Add(node.Namespace, pod, $"container-{i + 1}", "eth0", config));
            Assert.True(result.Succeeded, result.Describe());
            var address = Assert.Single(result.Addresses);
            Assert.Equal([address], await PodAddress.ReadAsync(pod, "eth0"));
            pods.Add((pod, address));
        }

        Assert.Equal("172.20.1.10", pods[0].Address.Address.ToString());
        Assert.Equal("172.20.1.30", pods[1].Address.Address.ToString());
        await AssertPingsAsync(lab, pods[0].Pod, pods[1].Address.Address.ToString());
        await AssertPingsAsync(lab, pods[1].Pod, pods[0].Address.Address.ToString());
        // A node reaches pods on other nodes (never its own: macvlan isolates children from their master).
        await AssertPingsAsync(lab, lab.Nodes[1].Namespace, pods[0].Address.Address.ToString());
    }

    private static async Task AssertPingsAsync(LabNetwork lab, NetworkNamespace from, string address)
    {
        var ping = await lab.RunInNamespaceAsync(from, "ping", ["-c", "1", "-W", "1", address]);
        Assert.True(ping.Succeeded, ping.Describe());
    }
}
