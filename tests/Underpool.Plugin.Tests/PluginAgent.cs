using Microsoft.Extensions.Logging;
using Underpool.Agent;
using Underpool.Agent.Hosting;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Store.Embedded;

namespace Underpool.Plugin.Tests;

/// <summary>A real agent for one test: its unix socket under /tmp, the SQLite store in a temp dir removed afterwards.</summary>
/// <remarks>Test classes hold one in a field and start it from <see cref="IAsyncLifetime.InitializeAsync"/>, so each test
/// gets a fresh agent and store.</remarks>
internal sealed class PluginAgent : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly AgentHost _host;

    private PluginAgent(TempDir dir, AgentHost host, string socket)
    {
        _dir = dir;
        _host = host;
        Socket = socket;
        Client = new AgentClient(socket, TimeSpan.FromSeconds(10));
    }

    public string Socket { get; }

    public AgentClient Client { get; }

    public static async Task<PluginAgent> StartAsync()
    {
        var dir = new TempDir();
        try
        {
            // /tmp keeps the socket path under the 107-byte unix socket limit.
            string socket = Path.Combine(Path.GetTempPath(), $"upl-plg-{Guid.NewGuid():N}.sock");
            var options = new AgentOptions { Socket = socket, Node = "node1", DataDir = dir.Path };
            AgentHost host = await AgentHost.StartAsync(
                options, new SqliteIpamStore(dir.Path), b => b.SetMinimumLevel(LogLevel.Warning), CancellationToken.None);
            return new PluginAgent(dir, host, socket);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    public async Task CreatePoolAsync(PoolDefinition pool)
    {
        ApiResult<PoolView> result = await Client.CreatePoolAsync(pool, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Problem?.Detail);
    }

    public async Task<IReadOnlyList<AllocationView>> AllocationsAsync(string? pool = null)
    {
        ApiResult<IReadOnlyList<AllocationView>> result = await Client.ListAllocationsAsync(pool, null, null, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value;
    }

    /// <summary>A plugin runner wired to this agent's socket.</summary>
    public PluginRunner Plugin(string network = NetConf.DefaultNetwork) => new(Socket, network);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await _host.DisposeAsync();
        }
        finally
        {
            _dir.Dispose();
        }
    }
}
