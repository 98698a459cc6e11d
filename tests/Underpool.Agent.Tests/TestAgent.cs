using Microsoft.Extensions.Logging;
using Underpool.Agent;
using Underpool.Agent.Hosting;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Store.Embedded;

namespace Underpool.Agent.Tests;

/// <summary>A real agent in this process: its unix socket under a temp dir, the real SQLite store, the real client.</summary>
internal sealed class TestAgent : IAsyncDisposable
{
    private readonly AgentHost _host;

    private TestAgent(AgentHost host, AgentClient client, string socket)
    {
        _host = host;
        Client = client;
        Socket = socket;
    }

    public AgentClient Client { get; }

    public string Socket { get; }

    public static async Task<TestAgent> StartAsync(
        string dataDir, string node = "node1", IReadOnlyDictionary<string, string>? labels = null)
    {
        // /tmp keeps the socket path under the 107-byte unix socket limit.
        string socket = Path.Combine(Path.GetTempPath(), $"upl-test-{Guid.NewGuid():N}.sock");
        var options = new AgentOptions
        {
            Socket = socket,
            Node = node,
            NodeLabels = labels ?? new Dictionary<string, string>(),
            DataDir = dataDir,
        };
        AgentHost host = await AgentHost.StartAsync(
            options, new SqliteIpamStore(dataDir), b => b.SetMinimumLevel(LogLevel.Warning), CancellationToken.None);
        return new TestAgent(host, new AgentClient(socket, TimeSpan.FromSeconds(10)), socket);
    }

    public async Task<PoolView> CreatePoolAsync(PoolDefinition pool)
    {
        ApiResult<PoolView> result = await Client.CreatePoolAsync(pool, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value;
    }

    public Task<ApiResult<CniAddResponse>> AddAsync(
        string containerId, string ifName = "eth0", string network = "net1", string[]? v4 = null, string[]? v6 = null) =>
        Client.AddAsync(
            new CniAddRequest
            {
                Attachment = Attachment(containerId, ifName, network),
                Pools = new PoolChoice { Ipv4 = v4 ?? [], Ipv6 = v6 ?? [] },
            },
            CancellationToken.None);

    public Task<ApiResult<CniDelResponse>> DelAsync(string containerId, string ifName = "eth0", string network = "net1") =>
        Client.DelAsync(new CniDelRequest { Attachment = Attachment(containerId, ifName, network) }, CancellationToken.None);

    public async Task<IReadOnlyList<AllocationView>> AllocationsAsync(string? pool = null)
    {
        ApiResult<IReadOnlyList<AllocationView>> result = await Client.ListAllocationsAsync(pool, null, null, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value;
    }

    public static AttachmentIdentity Attachment(string containerId, string ifName = "eth0", string network = "net1") => new()
    {
        Network = network,
        ContainerId = containerId,
        IfName = ifName,
        NetNs = $"/var/run/netns/{containerId}",
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
    }
}
