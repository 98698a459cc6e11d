using System.Text.Json;

namespace Underpool.Lab.Tests;

/// <summary>Static addresses with real runtimes: podman re-creating a named container, and a StatefulSet-like
/// instance moving between nodes on one subnet.</summary>
public sealed class StaticEndpointLabTests
{
    private const string Subnet = "172.20.1.0/24";

    [Fact]
    public async Task A_podman_container_started_with_ip_removed_and_recreated_under_its_name_keeps_its_address()
    {
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(1, Subnet);
        Assert.True((await lab.CtlAsync(0, "pool create lab --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.50".Split(' '))).Succeeded);
        await using PodmanOnNode podman = PodmanOnNode.Create(lab.Network.Nodes[0], lab.Agents[0].Socket, ["lab"], isStatic: true);

        await podman.RunAsync("web", "--ip", "172.20.1.33");
        string first = await podman.AddressOfAsync("web");
        await podman.RemoveAsync("web");
        await podman.RunAsync("other");
        string other = await podman.AddressOfAsync("other");
        await podman.RunAsync("web");
        string again = await podman.AddressOfAsync("web");

        Assert.Equal("172.20.1.33/24", first);
        Assert.NotEqual(first, other);
        Assert.Equal(first, again);
        JsonElement web = await lab.CtlJsonAsync(0, "endpoint", "show", "web");
        Assert.True(web.GetProperty("static").GetBoolean());
        Assert.True(web.GetProperty("running").GetBoolean());
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("etcd")]
    public async Task A_statefulset_instance_deleted_on_node1_comes_back_on_node2_with_its_address_and_answers_ping(string store)
    {
        await using LabStore state = await LabStore.StartAsync(store);
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(2, Subnet, state.AgentArgs);
        Assert.True((await lab.CtlAsync(0, "pool create lab --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.50".Split(' '))).Succeeded);
        const string args = "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0;UNDERPOOL_OWNER=StatefulSet/web";
        NetworkNamespace before = await lab.Network.AddPodNamespaceAsync("web0a");
        CniRequest addOnNode1 = CniRequest.Add(lab.Network.Nodes[0].Namespace, before, "web-0-a", "eth0", lab.MacvlanConfig(0, ["lab"])) with { Args = args };
        CniInvocation first = await lab.Cni.InvokeAsync(addOnNode1);
        Assert.True(first.Succeeded, first.Describe() + lab.Logs());
        IReadOnlyList<InterfaceAddress> kept = await PodAddress.ReadAsync(before, "eth0");
        Assert.True((await lab.Cni.InvokeAsync(addOnNode1 with { Command = CniVerb.Del, PrevResult = first.Result })).Succeeded);
        NetworkNamespace bystander = await lab.Network.AddPodNamespaceAsync("other");
        Assert.True((await lab.Cni.InvokeAsync(CniRequest.Add(lab.Network.Nodes[0].Namespace, bystander, "other", "eth0", lab.MacvlanConfig(0, ["lab"])))).Succeeded);

        NetworkNamespace after = await lab.Network.AddPodNamespaceAsync("web0b");
        CniInvocation again = await lab.Cni.InvokeAsync(
            CniRequest.Add(lab.Network.Nodes[1].Namespace, after, "web-0-b", "eth0", lab.MacvlanConfig(1, ["lab"])) with { Args = args });

        Assert.True(again.Succeeded, again.Describe() + lab.Logs());
        Assert.Equal(kept, await PodAddress.ReadAsync(after, "eth0"));
        Assert.NotEqual(kept, await PodAddress.ReadAsync(bystander, "eth0"));
        ProcessResult ping = await lab.Network.Nodes[0].Namespace.ExecAsync("ping", ["-c", "1", "-W", "2", kept[0].Address.ToString()]);
        Assert.True(ping.Succeeded, ping.Describe());
        JsonElement endpoint = await lab.CtlJsonAsync(0, "endpoint", "show", "shop/web-0");
        Assert.Equal(("web-0-b", true, "StatefulSet/web"), (
            endpoint.GetProperty("containerId").GetString(),
            endpoint.GetProperty("node").GetString()!.EndsWith("node2", StringComparison.Ordinal),
            $"{endpoint.GetProperty("ownerKind").GetString()}/{endpoint.GetProperty("ownerName").GetString()}"));
    }
}
