using System.Net;
using System.Text.Json;

namespace Underpool.Lab.Tests;

/// <summary>Conflict probing for real: a legacy host no IPAM knows holds the first addresses of the pools; the agent
/// probes on the node's uplink (inside the node's namespace), quarantines them and gives the pod the next ones.</summary>
public sealed class ConflictProbeEndToEndTests
{
    // A /16 underlay, so the probed and the unprobed pool can be two /24s (pools never overlap) on one segment.
    private const string Subnet = "172.20.0.0/16";

    [Fact]
    public async Task Addresses_a_legacy_host_holds_are_quarantined_with_its_mac_and_pods_get_others_unless_probing_is_off()
    {
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(1, Subnet);
        LabNode legacy = await lab.Network.AddHostAsync("legacy", IPAddress.Parse("172.20.1.60"));
        foreach (string address in new[] { "172.20.2.70/16", "fd00:20:1::1/64" })
        {
            // nodad: usable (and answering DAD probes) at once, as a long-running host's address is.
            await IpRoute2.RunAsync(["-n", legacy.Name, "addr", "add", address, "dev", LabNode.Uplink, "nodad"], default);
        }

        string legacyMac = await MacOfAsync(legacy.Namespace);
        await CtlOkAsync(lab, "pool create probed --subnet 172.20.1.0/24 --ranges 172.20.1.60-172.20.1.69");
        await CtlOkAsync(lab, "pool create probed6 --subnet fd00:20:1::/64 --ranges fd00:20:1::1-fd00:20:1::ff");
        await CtlOkAsync(lab, "pool create unprobed --subnet 172.20.2.0/24 --ranges 172.20.2.70-172.20.2.79 --probe off");
        NetworkNamespace node = lab.Network.Nodes[0].Namespace;
        NetworkNamespace pod1 = await lab.Network.AddPodNamespaceAsync("pod1");
        NetworkNamespace pod2 = await lab.Network.AddPodNamespaceAsync("pod2");

        CniInvocation probed = await lab.Cni.InvokeAsync(CniRequest.Add(node, pod1, "c1", "eth0", lab.MacvlanConfig(0, ["probed"], ["probed6"])));
        CniInvocation unprobed = await lab.Cni.InvokeAsync(CniRequest.Add(node, pod2, "c2", "eth0", lab.MacvlanConfig(0, ["unprobed"])));

        Assert.True(probed.Succeeded, probed.Describe() + lab.Logs());
        IReadOnlyList<InterfaceAddress> pod1Addresses = await PodAddress.ReadAsync(pod1, "eth0");
        Assert.Contains(InterfaceAddress.Parse("172.20.1.61/24"), pod1Addresses);
        Assert.Contains(new InterfaceAddress(IPAddress.Parse("fd00:20:1::2"), 64), pod1Addresses);

        ProcessResult list = await lab.CtlAsync(0, "conflict", "list", "--json");
        Assert.True(list.Succeeded, list.Describe());
        JsonElement conflicts = JsonDocument.Parse(list.StandardOutput).RootElement.GetProperty("conflicts");
        Assert.Equal(
            [("172.20.1.60", "probed", legacyMac), ("fd00:20:1::1", "probed6", legacyMac)],
            conflicts.EnumerateArray().Select(c => (c.GetProperty("address").GetString(), c.GetProperty("pool").GetString(), c.GetProperty("mac").GetString())));

        // The legacy host was probed, not disturbed: it still answers at its own address.
        ProcessResult ping = await lab.Network.RunInNamespaceAsync(pod1, "ping", ["-c", "1", "-W", "2", "172.20.1.60"]);
        Assert.True(ping.Succeeded, ping.Describe());

        // Without probing, the legacy host's address is handed out: the probe is what protected pod1.
        Assert.True(unprobed.Succeeded, unprobed.Describe() + lab.Logs());
        Assert.Equal([InterfaceAddress.Parse("172.20.2.70/24")], await PodAddress.ReadAsync(pod2, "eth0"));
        Assert.Equal(2, (await lab.CtlJsonAsync(0, "conflict", "list")).GetProperty("conflicts").GetArrayLength());

        // Still held by the legacy host: clearing refuses and names its MAC.
        ProcessResult clear = await lab.CtlAsync(0, "conflict", "clear", "172.20.1.60");
        Assert.Equal(1, clear.ExitCode);
        Assert.Contains(legacyMac, clear.StandardError, StringComparison.Ordinal);
    }

    private static async Task CtlOkAsync(UnderpoolLab lab, string command)
    {
        ProcessResult result = await lab.CtlAsync(0, command.Split(' '));
        Assert.True(result.Succeeded, result.Describe());
    }

    private static async Task<string> MacOfAsync(NetworkNamespace ns)
    {
        ProcessResult link = await ProcessRunner.RunAsync("ip", ["-j", "-n", ns.Name, "link", "show", LabNode.Uplink]);
        Assert.True(link.Succeeded, link.Describe());
        return JsonDocument.Parse(link.StandardOutput).RootElement[0].GetProperty("address").GetString()!; // ip -j always prints it for a veth
    }
}
