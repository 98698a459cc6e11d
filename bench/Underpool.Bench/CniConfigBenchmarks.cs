using System.Text;
using BenchmarkDotNet.Attributes;
using Underpool.Cni;

namespace Underpool.Bench;

/// <summary>The plugin's own CPU work per call, apart from process start and the agent: read the network config a
/// runtime writes to stdin, and print the dual-stack result.</summary>
[MemoryDiagnoser]
public class CniConfigBenchmarks
{
    // What libcni hands macvlan and macvlan hands its IPAM plugin: the flattened conflist entry
    // (deploy/cni/macvlan-underpool.conflist as podman 4.3 sends it), plus what each verb adds below.
    private const string MacvlanNetwork = """
          "cniVersion": "1.0.0",
          "name": "dc-vlan20",
          "type": "macvlan",
          "master": "eth0",
          "mode": "bridge",
          "ipam": {
            "type": "underpool",
            "socket": "/run/underpool/agent.sock",
            "pools": { "ipv4": ["vlan20-a", "vlan20-b"], "ipv6": ["vlan20-v6"] }
          },
        """;

    // ADD carries the runtime's capabilities.
    private static readonly byte[] AddConfig = Encoding.UTF8.GetBytes("{" + MacvlanNetwork + """
          "runtimeConfig": { "portMappings": [] }
        }
        """);

    // DEL and CHECK carry the ADD's full result (macvlan's interfaces included) as prevResult.
    private static readonly byte[] DelConfig = Encoding.UTF8.GetBytes("{" + MacvlanNetwork + """
          "prevResult": {
            "cniVersion": "1.0.0",
            "interfaces": [{ "name": "eth0", "mac": "9a:3e:1c:55:0b:21", "sandbox": "/var/run/netns/cni-1c2f" }],
            "ips": [
              { "interface": 0, "address": "10.20.0.17/24", "gateway": "10.20.0.1" },
              { "interface": 0, "address": "fd00:20::17/64", "gateway": "fd00:20::1" }
            ],
            "routes": [{ "dst": "0.0.0.0/0", "gw": "10.20.0.1" }, { "dst": "::/0", "gw": "fd00:20::1" }],
            "dns": {}
          }
        }
        """);

    private static readonly IpamResult DualStack = new()
    {
        Ips = [new IpConfig("10.20.0.17/24", "10.20.0.1"), new IpConfig("fd00:20::17/64", "fd00:20::1")],
        Routes = [new RouteConfig("0.0.0.0/0", "10.20.0.1"), new RouteConfig("::/0", "fd00:20::1")],
    };

    // Reused so the figure is the serializer's, not a growing buffer's; the plugin writes to stdout the same way.
    private readonly MemoryStream _stdout = new(1024);

    // A config the parser refused would time its error path: stop the run instead.
    [GlobalSetup]
    public void Setup()
    {
        if (ParseAddConfig() is null || ParseDelConfigWithPrevResult() is not { Ips.Count: 2 })
        {
            throw new InvalidOperationException("the benchmark's network configs no longer parse");
        }
    }

    [Benchmark]
    public NetworkConfig? ParseAddConfig() => NetworkConfig.Parse(AddConfig).Value;

    [Benchmark]
    public IpamResult? ParseDelConfigWithPrevResult()
    {
        NetworkConfig? config = NetworkConfig.Parse(DelConfig).Value;
        return config?.PrevResult is { } prev ? IpamResult.Parse(prev).Value : null;
    }

    [Benchmark]
    public long WriteDualStackResult_1_0_0() => Write("1.0.0");

    /// <summary>0.3.x/0.4.0 results add "version" to each address: a second wire shape.</summary>
    [Benchmark]
    public long WriteDualStackResult_0_4_0() => Write("0.4.0");

    private long Write(string cniVersion)
    {
        _stdout.SetLength(0);
        DualStack.WriteTo(_stdout, cniVersion);
        return _stdout.Length;
    }
}
