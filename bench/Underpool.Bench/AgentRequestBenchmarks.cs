using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Underpool.Agent;
using Underpool.Agent.Cni;
using Underpool.Agent.Failures;
using Underpool.Agent.Hosting;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Probe.Linux;
using Underpool.Store.Embedded;

namespace Underpool.Bench;

/// <summary>The agent's answer to a dual-stack ADD and its DEL, without sockets, HTTP or Kestrel: the same
/// <see cref="CniService"/> the endpoints call, over the real SQLite store.</summary>
/// <remarks>There is no in-memory store, so the store is the real <see cref="SqliteIpamStore"/> with its file on tmpfs
/// (/dev/shm): every SQLite transaction, journal catch-up and commit check is included, disk and network I/O are not.</remarks>
[MemoryDiagnoser]
public class AgentRequestBenchmarks
{
    private static readonly ApiJsonContext Json = ApiJsonContext.Default;

    private readonly string _dataDir = Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"upb-agent-{Guid.NewGuid():N}");

    private SqliteIpamStore _store = null!; // Set in Setup, which BenchmarkDotNet runs before any iteration.
    private ServiceProvider _services = null!;
    private CniService _cni = null!;
    private CniAddRequest _add = null!;
    private CniDelRequest _del = null!;
    private byte[] _addJson = [];
    private byte[] _delJson = [];
    private readonly MemoryStream _response = new(1024);

    [GlobalSetup]
    public async Task Setup()
    {
        _store = new SqliteIpamStore(_dataDir);
        await _store.InitializeAsync(CancellationToken.None);
        // Probing off: this measures request handling; conflict probing has its own benchmark (bench/probe-latency).
        var options = new AgentOptions { Node = "bench-node", Socket = "/nonexistent/agent.sock", Probe = false };
        // The agent's own graph of parts (AgentServices), without its host: nothing listens and no loop runs.
        var services = new ServiceCollection();
        services.AddLogging();
        AgentServices.Add(services, options, _store, new PacketProber());
        _services = services.BuildServiceProvider();
        _cni = _services.GetRequiredService<CniService>();
        var admin = _services.GetRequiredService<PoolAdminService>();
        await CreatePoolAsync(admin, new PoolDefinition { Name = "v4", Subnet = "10.20.0.0/16", Gateway = "10.20.0.1" });
        await CreatePoolAsync(admin, new PoolDefinition { Name = "v6", Subnet = "fd00:20::/64", Gateway = "fd00:20::1" });

        // The shapes the plugin sends: Kubernetes identity and CNI_ARGS included.
        var who = new AttachmentIdentity
        {
            Network = "dc-vlan20",
            ContainerId = "4f1c2d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e",
            IfName = "eth0",
            NetNs = "/var/run/netns/cni-4f1c2d9e",
            PodNamespace = "shop",
            PodName = "cart-7d9f8c6b5-x2x9q",
            PodUid = "0b5e7a1c-3f2d-4e6a-9b8c-7d6e5f4a3b2c",
        };
        _add = new CniAddRequest
        {
            Attachment = who,
            Pools = new PoolChoice { Ipv4 = ["v4"], Ipv6 = ["v6"] },
            Args = new Dictionary<string, string> { ["IgnoreUnknown"] = "1", ["K8S_POD_NAMESPACE"] = "shop" },
        };
        _del = new CniDelRequest { Attachment = who };
        _addJson = JsonSerializer.SerializeToUtf8Bytes(_add, Json.CniAddRequest);
        _delJson = JsonSerializer.SerializeToUtf8Bytes(_del, Json.CniDelRequest);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _services.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    /// <summary>The service calls alone: catch-up, pick, commit (ADD); find, delete (DEL).</summary>
    [Benchmark]
    public async Task<int> AddThenDel()
    {
        Outcome<CniAddResponse> added = await _cni.AddAsync(_add, CancellationToken.None);
        Outcome<CniDelResponse> released = await _cni.DelAsync(_del, CancellationToken.None);
        return Check(added).Ips.Count + Check(released).Released.Count;
    }

    /// <summary>As the endpoints do it, less HTTP: read the request JSON, answer, write the response JSON.</summary>
    [Benchmark]
    public async Task<long> AddThenDel_WithJson()
    {
        CniAddRequest add = JsonSerializer.Deserialize(_addJson, Json.CniAddRequest)!; // The bytes came from a request.
        _response.SetLength(0);
        await JsonSerializer.SerializeAsync(_response, Check(await _cni.AddAsync(add, CancellationToken.None)), Json.CniAddResponse);
        CniDelRequest del = JsonSerializer.Deserialize(_delJson, Json.CniDelRequest)!;
        await JsonSerializer.SerializeAsync(_response, Check(await _cni.DelAsync(del, CancellationToken.None)), Json.CniDelResponse);
        return _response.Length;
    }

    // A failed call would measure an error path: stop the run instead of reporting a misleading figure.
    private static T Check<T>(Outcome<T> outcome) =>
        outcome.Value ?? throw new InvalidOperationException($"the agent refused: {outcome.Failure?.Detail}");

    private static async Task CreatePoolAsync(PoolAdminService admin, PoolDefinition pool)
    {
        Outcome<PoolView> created = await admin.CreateAsync(pool, CancellationToken.None);
        Check(created);
    }
}
