namespace Underpool.Lab.Tests;

/// <summary>
/// The lab with Debian's own macvlan and host-local plugins: proof that the wiring works, and a record of the
/// failure Underpool exists to fix.
/// </summary>
public sealed class HostLocalSmokeTests
{
    private const string Subnet = "172.20.1.0/24";

    /// <summary>host-local keeps its state in files on one node, so two nodes on one underlay collide.</summary>
    [Fact]
    public async Task HostLocalOnTwoNodes_HandsOutTheSameAddress()
    {
        LabPrerequisites.EnsureCniPlugin("macvlan");
        LabPrerequisites.EnsureCniPlugin("host-local");
        using var state = TempDirectory.Create("host-local");
        await using var lab = await LabNetwork.CreateAsync(2, Subnet);
        var cni = new CniInvoker();

        var adds = new List<CniRequest>();
        var pods = new List<NetworkNamespace>();
        foreach (var (node, index) in lab.Nodes.Select((node, i) => (node, i + 1)))
        {
            var pod = await lab.AddPodNamespaceAsync($"pod{index}");
            var config = ReferencePluginConfig.MacvlanWithHostLocal(
                Subnet, "172.20.1.10", "172.20.1.20", state.Combine(node.Name));
            var add = CniRequest.Add(node.Namespace, pod, $"container-{index}", "eth0", config);
            var result = await cni.InvokeAsync(add);
            Assert.True(result.Succeeded, result.Describe());
            adds.Add(add with { PrevResult = result.Result });
            pods.Add(pod);
        }

        var expected = new[] { InterfaceAddress.Parse("172.20.1.10/24") };
        Assert.Equal(expected, await PodAddress.ReadAsync(pods[0], "eth0"));
        Assert.Equal(expected, await PodAddress.ReadAsync(pods[1], "eth0"));

        foreach (var add in adds)
        {
            var deleted = await cni.InvokeAsync(add with { Command = CniVerb.Del });
            Assert.True(deleted.Succeeded, deleted.Describe());
        }
    }
}
