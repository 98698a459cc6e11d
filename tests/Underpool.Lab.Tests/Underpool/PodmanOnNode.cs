using System.Text.Json.Nodes;

namespace Underpool.Lab.Tests;

/// <summary>Podman 4.3 with its CNI backend as the runtime of one lab node: it runs in the node's network namespace
/// (nsenter --net, so the macvlan master eth0 is the node's uplink) with storage, config and networks of its own
/// under a temp dir, so it never touches the machine's podman state.</summary>
/// <remarks>nsenter rather than `ip netns exec`: the latter remounts /sys, which hides the cgroup mounts runc needs.
/// Containers run a static busybox from a bare rootfs, so no image is pulled.</remarks>
internal sealed class PodmanOnNode : IAsyncDisposable
{
    /// <summary>Where libcni (inside podman) caches each attachment's result, as <c>NETWORK-CONTAINERID-IFNAME</c>; an
    /// attachment whose DEL failed (the agent was down) stays there, so this podman's entries are removed at the end.</summary>
    private const string CniResultCache = "/var/lib/cni/results";

    private readonly string _network;

    private readonly TempDirectory _work;
    private readonly LabNode _node;

    private PodmanOnNode(TempDirectory work, LabNode node, string network)
    {
        _network = network;
        _work = work;
        _node = node;
    }

    /// <summary>Podman on <paramref name="node"/> with one CNI network of its own: macvlan on the node's
    /// uplink, Underpool as IPAM through the agent at <paramref name="agentSocket"/>.</summary>
    public static PodmanOnNode Create(LabNode node, string agentSocket, string[] ipv4Pools, bool isStatic)
    {
        LabPrerequisites.EnsureProgram("podman", "podman");
        LabPrerequisites.EnsureProgram("runc", "runc");
        LabPrerequisites.EnsureProgram("nsenter", "util-linux");
        string busybox = LabPrerequisites.FindOnPath("busybox")
            ?? throw new LabUnavailableException("'busybox' is not on PATH; the project's test script installs it; by hand: apt-get install busybox-static.");
        var work = TempDirectory.Create("podman");

        // A network name of its own, so this podman's cached CNI results can be told from anyone else's.
        string network = $"upltest-{Guid.NewGuid():N}"[..16];
        Directory.CreateDirectory(work.Combine("net"));
        Directory.CreateDirectory(work.Combine("rootfs/bin"));
        File.Copy(busybox, work.Combine("rootfs/bin/busybox"));
        var ipam = new JsonObject
        {
            ["type"] = "underpool",
            ["socket"] = agentSocket,
            ["static"] = isStatic,
            ["pools"] = new JsonObject { ["ipv4"] = new JsonArray(ipv4Pools.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()) },
        };
        var conflist = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = network,
            ["plugins"] = new JsonArray(new JsonObject { ["type"] = "macvlan", ["master"] = LabNode.Uplink, ["mode"] = "bridge", ["ipam"] = ipam }),
        };
        File.WriteAllText(work.Combine($"net/{network}.conflist"), conflist.ToJsonString());
        File.WriteAllText(work.Combine("containers.conf"), $"""
            [containers]
            default_ulimits = []
            [network]
            network_backend = "cni"
            network_config_dir = "{work.Combine("net")}"
            cni_plugin_dirs = ["{UnderpoolBinaries.Directory}", "{LabPrerequisites.DebianCniDirectory}"]
            """);
        return new PodmanOnNode(work, node, network);
    }

    /// <summary>Starts a detached container named <paramref name="name"/> that sleeps; fails the test when podman fails.</summary>
    public async Task RunAsync(string name, params string[] options)
    {
        ProcessResult run = await PodmanAsync(["run", "-d", "--name", name, "--network", _network, .. options, "--rootfs", _work.Combine("rootfs"), "/bin/busybox", "sleep", "600"]);
        Assert.True(run.Succeeded, run.Describe());
    }

    /// <summary>The container's IPv4 address on eth0 as `ip` inside it reports it ("172.20.1.33/24").</summary>
    public async Task<string> AddressOfAsync(string name)
    {
        ProcessResult ip = await PodmanAsync(["exec", name, "/bin/busybox", "ip", "-4", "-o", "addr", "show", "eth0"]);
        Assert.True(ip.Succeeded, ip.Describe());
        string[] words = ip.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words[Array.IndexOf(words, "inet") + 1];
    }

    /// <summary>`podman rm -f`: the runtime's DEL runs through the plugin.</summary>
    public async Task RemoveAsync(string name)
    {
        ProcessResult rm = await PodmanAsync(["rm", "-f", "-t", "0", name]);
        Assert.True(rm.Succeeded, rm.Describe());
    }

    public Task<ProcessResult> PodmanAsync(IEnumerable<string> args) =>
        ProcessRunner.RunAsync(
            "nsenter",
            [$"--net={_node.Namespace.Path}", "podman", "--cgroup-manager", "cgroupfs", "--runtime", "runc",
             "--root", _work.Combine("root"), "--runroot", _work.Combine("runroot"), .. args],
            environment: new Dictionary<string, string?> { ["CONTAINERS_CONF"] = _work.Combine("containers.conf") },
            timeout: TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Removes every container of this podman (and with it the netns podman made for each), pass or fail.
            await PodmanAsync(["rm", "-a", "-f", "-t", "0"]);
        }
        finally
        {
            foreach (string cached in Directory.Exists(CniResultCache) ? Directory.GetFiles(CniResultCache, $"{_network}-*") : [])
            {
                File.Delete(cached);
            }

            _work.Dispose();
        }
    }
}
