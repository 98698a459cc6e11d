using System.Text.Json;

namespace Underpool.Lab.Tests;

/// <summary>Adopting another IPAM's live allocations with the real programs: host-local's real files, filed through
/// the real underpoolctl (NativeAOT, YAML parsing included) into a real agent, then the containers' own CNI DEL through
/// Underpool releasing them.</summary>
public sealed class ImportLabTests
{
    private const string Subnet = "172.20.1.0/24";

    [Fact]
    public async Task Containers_host_local_addressed_keep_their_addresses_under_Underpool_until_their_own_DEL_releases_them()
    {
        LabPrerequisites.EnsureCniPlugin("host-local");
        using var hostLocal = TempDirectory.Create("host-local-import");
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(1, Subnet);
        LabNode node = lab.Network.Nodes[0];

        // Three pods addressed by host-local through the real macvlan plugin: their files are what gets imported.
        string hostLocalConfig = ReferencePluginConfig.MacvlanWithHostLocal(Subnet, "172.20.1.10", "172.20.1.20", hostLocal.Path);
        var pods = new List<(NetworkNamespace Pod, string Container, string Address)>();
        for (int i = 1; i <= 3; i++)
        {
            NetworkNamespace pod = await lab.Network.AddPodNamespaceAsync($"hl{i}");
            CniInvocation add = await lab.Cni.InvokeAsync(CniRequest.Add(node.Namespace, pod, $"hostlocal-{i}", "eth0", hostLocalConfig));
            Assert.True(add.Succeeded, add.Describe());
            pods.Add((pod, $"hostlocal-{i}", (await PodAddress.ReadAsync(pod, "eth0"))[0].Address.ToString()));
        }

        Assert.True((await lab.CtlAsync(0, "pool create lab --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.14".Split(' '))).Succeeded);
        string[] import = ["import", "host-local", "--data-dir", hostLocal.Path, "--network", "lab-underlay", "--node", node.Name];
        JsonElement first = await lab.CtlJsonAsync(0, import);
        JsonElement again = await lab.CtlJsonAsync(0, import);

        Assert.Equal(
            pods.Select(p => (p.Address, p.Container, "imported")).Order(),
            first.GetProperty("results").EnumerateArray().Select(r => (Text(r, "address"), Text(r, "containerId"), Text(r, "outcome"))).Order());
        Assert.All(again.GetProperty("results").EnumerateArray(), r => Assert.Equal("already-held", Text(r, "outcome")));

        // A new pod through Underpool gets neither of the three, and the pool then has only one address left.
        NetworkNamespace fresh = await lab.Network.AddPodNamespaceAsync("fresh");
        CniRequest freshAdd = CniRequest.Add(node.Namespace, fresh, "fresh-1", "eth0", lab.MacvlanConfig(0, ["lab"]));
        CniInvocation added = await lab.Cni.InvokeAsync(freshAdd);
        Assert.True(added.Succeeded, added.Describe() + lab.Logs());
        string freshAddress = (await PodAddress.ReadAsync(fresh, "eth0"))[0].Address.ToString();
        Assert.DoesNotContain(freshAddress, pods.Select(p => p.Address));

        // The host-local containers' DEL, now through Underpool (same network, container id and interface).
        foreach ((NetworkNamespace pod, string container, _) in pods)
        {
            CniInvocation del = await lab.Cni.InvokeAsync(CniRequest.Add(node.Namespace, pod, container, "eth0", lab.MacvlanConfig(0, ["lab"])) with { Command = CniVerb.Del });
            Assert.True(del.Succeeded, del.Describe() + lab.Logs());
        }

        Assert.Equal([freshAddress], (await lab.CtlJsonAsync(0, "ip", "list")).EnumerateArray().Select(a => Text(a, "address")));
        CniInvocation freshDel = await lab.Cni.InvokeAsync(freshAdd with { Command = CniVerb.Del, PrevResult = added.Result });
        Assert.True(freshDel.Succeeded, freshDel.Describe());
    }

    [Fact]
    public async Task Whereabouts_and_Spiderpool_listings_are_imported_by_the_real_cli_and_an_address_outside_every_pool_is_skipped()
    {
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(1, Subnet);
        Assert.True((await lab.CtlAsync(0, "pool create vlan10 --subnet 10.10.0.0/24 --ranges 10.10.0.2-10.10.0.150".Split(' '))).Succeeded);
        Assert.True((await lab.CtlAsync(0, "pool create vlan10-v6 --subnet fd00:10::/64".Split(' '))).Succeeded);
        string[] whereabouts =
        [
            "import", "whereabouts", Fixture("whereabouts.yaml"), "--network", "dc-vlan10", "--only", "dc-vlan10-10.10.0.0-24,dc-vlan10-fd00-10---64", "-o", "json",
        ];
        string[] spiderpool = ["import", "spiderpool", Fixture("spiderpool.yaml"), "--network", "dc-vlan30", "--create-pools", "-o", "json"];

        ProcessResult wb = await lab.CtlAsync(0, whereabouts);
        ProcessResult sp = await lab.CtlAsync(0, spiderpool);
        ProcessResult wbAgain = await lab.CtlAsync(0, whereabouts);

        // 10.10.0.200 is outside pool vlan10's ranges; Spiderpool's 10.30.0.120 outside its pool's spec.ips: exit 1.
        Assert.Equal((1, 1, 1), (wb.ExitCode, sp.ExitCode, wbAgain.ExitCode));
        Assert.Equal(
            [("10.10.0.5", "imported"), ("fd00:10::5", "imported"), ("10.10.0.6", "imported"), ("10.10.0.200", "skipped"), ("fd00:10::1000", "imported")],
            Results(wb).Select(r => (Text(r, "address"), Text(r, "outcome"))));
        Assert.Equal(
            [("10.30.0.10", "imported"), ("fd00:30::10", "imported"), ("10.30.0.11", "imported"), ("10.30.0.120", "skipped")],
            Results(sp).Select(r => (Text(r, "address"), Text(r, "outcome"))));
        Assert.Equal(["already-held", "already-held", "already-held", "skipped", "already-held"], Results(wbAgain).Select(r => Text(r, "outcome")));
        JsonElement held = await lab.CtlJsonAsync(0, "ip", "list", "--network", "dc-vlan30");
        Assert.Equal(
            [("10.30.0.10", "pod:5e0c2a4b-8d1f-4e6a-9b3c-7f2d1e0a9b8c", "vlan30-v4"), ("10.30.0.11", "pod:a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "vlan30-v4"), ("fd00:30::10", "pod:5e0c2a4b-8d1f-4e6a-9b3c-7f2d1e0a9b8c", "vlan30-v6")],
            held.EnumerateArray().Select(a => (Text(a, "address"), Text(a, "containerId"), Text(a, "pool"))).OrderBy(a => a.Item1, StringComparer.Ordinal));
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "import", name);

    private static List<JsonElement> Results(ProcessResult run) =>
        JsonDocument.Parse(run.StandardOutput).RootElement.GetProperty("results").EnumerateArray().ToList();

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
