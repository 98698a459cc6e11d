using Microsoft.Extensions.Logging;
using Underpool.Agent;
using Underpool.Agent.Hosting;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Store.Embedded;
using Xunit;

namespace Underpool.Testing;

/// <summary>A real agent in the test process: its unix socket under /tmp, the real SQLite store, the real client.</summary>
/// <remarks>The client blocks (as the plugin and CLI want); the helpers here run it on the thread pool so tests can
/// fire calls concurrently, which is why the pool starts with more threads than a test host would.</remarks>
public sealed class InProcessAgent : IAsyncDisposable
{
    private readonly AgentHost _host;
    private readonly TempDir? _ownedDir;
    private readonly TempDir _socketDir;

    static InProcessAgent()
    {
        // Dozens of blocking client calls at once would otherwise wait for the pool's slow thread injection
        // (one thread per half second) before the in-process agent could answer any of them.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 200), io);
    }

    private InProcessAgent(AgentHost host, TempDir socketDir, string socket, string dataDir, TempDir? ownedDir)
    {
        _host = host;
        _socketDir = socketDir;
        _ownedDir = ownedDir;
        Socket = socket;
        DataDir = dataDir;
        Client = new AgentClient(socket, TimeSpan.FromSeconds(10));
    }

    public AgentClient Client { get; }

    /// <summary>The agent's services, for a test that drives a background pass itself.</summary>
    public IServiceProvider Services => _host.Services;

    public string Socket { get; }

    public string DataDir { get; }

    /// <summary>Starts an agent on <paramref name="dataDir"/> (shared by several agents, as lab nodes share a host),
    /// or on a directory of its own, removed when it stops, when none is given.</summary>
    public static async Task<InProcessAgent> StartAsync(
        string? dataDir = null,
        string node = "node1",
        IReadOnlyDictionary<string, string>? labels = null,
        Underpool.Probe.IAddressProber? prober = null,
        Func<AgentOptions, AgentOptions>? configure = null,
        CapturedLogs? logs = null)
    {
        TempDir? owned = dataDir is null ? new TempDir() : null;
        string dir = dataDir ?? owned!.Path; // One of the two is set by the line above.
        var socketDir = new TempDir();
        try
        {
            string socket = SocketIn(socketDir);
            var options = new AgentOptions
            {
                Socket = socket,
                Node = node,
                NodeLabels = labels ?? new Dictionary<string, string>(),

                // Never probe real interfaces from a test process: probing is on only with a fake prober, whose
                // uplink name is a label it receives, not an interface anything opens.
                Probe = prober is not null,
                Uplink = prober is not null ? "fake0" : null,

                // The attachments tests make name namespaces that do not exist: a sweep would take them away.
                GcInterval = TimeSpan.Zero,
            };
            options = configure?.Invoke(options) ?? options;
            AgentHost host = await AgentHost.StartAsync(options, new SqliteIpamStore(dir), Logging(logs), CancellationToken.None, prober);
            return new InProcessAgent(host, socketDir, options.Socket, dir, owned);
        }
        catch
        {
            owned?.Dispose();
            socketDir.Dispose();
            throw;
        }
    }

    /// <summary>Starts an agent for <paramref name="node"/> on an etcd store (endpoints and prefix shared by the
    /// agents of one test), with the etcd store's per-node cursor spreading.</summary>
    public static async Task<InProcessAgent> StartOnEtcdAsync(IReadOnlyList<string> endpoints, string prefix, string node, TimeSpan? callTimeout = null, TimeSpan? nodeTtl = null, TimeSpan? storeRetry = null, TimeSpan? nodeDeadAfter = null, CapturedLogs? logs = null)
    {
        var socketDir = new TempDir();
        string socket = SocketIn(socketDir);
        var options = new AgentOptions
        {
            Socket = socket,
            Node = node,
            Store = StoreKind.Etcd,
            Probe = false,
            NodeTtl = nodeTtl ?? TimeSpan.FromSeconds(15),
            StoreRetryBudget = storeRetry ?? TimeSpan.FromSeconds(10),
            NodeDeadAfter = nodeDeadAfter ?? TimeSpan.FromMinutes(5),
            GcInterval = TimeSpan.Zero,
        };
        var store = new Underpool.Store.Etcd.EtcdIpamStore(new Underpool.Store.Etcd.EtcdStoreOptions
        {
            Endpoints = endpoints,
            Prefix = prefix,
            CallTimeout = callTimeout ?? Underpool.Store.Etcd.EtcdStoreOptions.DefaultCallTimeout,
        });
        try
        {
            AgentHost host = await AgentHost.StartAsync(options, store, Logging(logs), CancellationToken.None);
            return new InProcessAgent(host, socketDir, socket, dataDir: string.Empty, ownedDir: null);
        }
        catch
        {
            socketDir.Dispose();
            throw;
        }
    }

    /// <summary>No log output; with <paramref name="logs"/>, Information and up go into it for the test to read.</summary>
    private static Action<ILoggingBuilder> Logging(CapturedLogs? logs) => builder =>
    {
        builder.SetMinimumLevel(LogLevel.Warning);
        if (logs is not null)
        {
            builder.SetMinimumLevel(LogLevel.Information);
            builder.AddProvider(logs);
        }
    };

    /// <summary>The socket path in a directory of the test's own: the agent refuses a directory others can write, such
    /// as /tmp itself; under /tmp the path stays within the 107-byte unix socket limit.</summary>
    private static string SocketIn(TempDir directory) => Path.Combine(directory.Path, "agent.sock");

    public Task<PoolView> CreatePoolAsync(PoolDefinition pool) => Task.Run(() =>
    {
        ApiResult<PoolView> result = Client.CreatePool(pool);
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value;
    });

    public Task<ApiResult<CniAddResponse>> AddAsync(
        string containerId, string ifName = "eth0", string network = "net1", string[]? v4 = null, string[]? v6 = null) =>
        Task.Run(() => Client.Add(new CniAddRequest
        {
            Attachment = Attachment(containerId, ifName, network),
            Pools = new PoolChoice { Ipv4 = v4 ?? [], Ipv6 = v6 ?? [] },
        }));

    public Task<ApiResult<CniDelResponse>> DelAsync(string containerId, string ifName = "eth0", string network = "net1") =>
        Task.Run(() => Client.Del(new CniDelRequest { Attachment = Attachment(containerId, ifName, network) }));

    public Task<IReadOnlyList<AllocationView>> AllocationsAsync(string? pool = null) => Task.Run(() =>
    {
        ApiResult<IReadOnlyList<AllocationView>> result = Client.ListAllocations(pool, null, null);
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value;
    });

    public Task<ApiResult<ImportResponse>> ImportAsync(ImportRequest request) => Task.Run(() => Client.Import(request));

    public static AttachmentIdentity Attachment(string containerId, string ifName = "eth0", string network = "net1") => new()
    {
        Network = network,
        ContainerId = containerId,
        IfName = ifName,
        NetNs = $"/var/run/netns/{containerId}",
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.DisposeAsync();
        }
        finally
        {
            _ownedDir?.Dispose();
            _socketDir.Dispose();
        }
    }
}
